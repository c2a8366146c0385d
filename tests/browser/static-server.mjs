// A tiny static file server for the browser tests. It serves the test pages and the two
// client libraries from node_modules on its own port, so the page's origin differs from
// Parley's and every cometd transport runs cross-origin (CORS, JSONP, WebSocket Origin).
//
// Faye's browser client only offers its eventsource transport to a same-origin endpoint
// (it gates EventSource on its same-origin XHR transport), so the server can also forward
// one path prefix to Parley, the way a reverse proxy in front of both would.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

// Only these folders are served; everything else is 404.
const servedPrefixes = ['/pages/', '/node_modules/cometd/', '/node_modules/faye/client/'];

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Starts the server on 127.0.0.1 with a free port.
 * @returns {Promise<{origin: string, port: number, proxy: (prefix: string, target: string) => void, stop: () => Promise<void>}>}
 */
export async function startStaticServer() {
  const proxies = new Map(); // path prefix -> target origin

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    for (const [prefix, target] of proxies) {
      if (url.pathname === prefix || url.pathname.startsWith(prefix + '/')) {
        forward(req, res, target);
        return;
      }
    }
    serveFile(url.pathname, req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    proxy: (prefix, target) => proxies.set(prefix, target),
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function serveFile(pathname, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const decoded = decodeURIComponent(pathname);
  const file = path.normalize(path.join(root, decoded));
  const allowed = servedPrefixes.some((prefix) => file.startsWith(path.join(root, prefix)));
  if (!allowed) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  let body;
  try {
    body = await fs.readFile(file);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

// Streams the request and the response through unbuffered, so a held long-poll and an
// event stream behave as they would without the hop.
function forward(req, res, target) {
  const to = new URL(target);
  const upstream = http.request({
    host: to.hostname,
    port: to.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: to.host },
  }, (response) => {
    res.writeHead(response.statusCode, response.statusMessage, response.headers);
    res.flushHeaders();
    response.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`proxy error: ${error.message}`);
  });
  req.on('aborted', () => upstream.destroy());
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
