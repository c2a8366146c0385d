// A small HTTP reverse proxy in front of Parley that passes WebSocket upgrades until told to
// refuse them (answering 403, as a proxy without WebSocket support does) and drops the upgraded
// connections it carries at that moment; told to allow them again, it passes them again.
import http from 'node:http';
import net from 'node:net';
/** Proxies every request and upgrade to targetUrl; refuseUpgrades() turns WebSocket away from then on. */
export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  let refuseUpgrades = false;
  const tunnels = new Set();
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => { res.destroy(); });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    if (refuseUpgrades) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const up = net.connect(Number(target.port), target.hostname, () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      up.write(raw + '\r\n');
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    const pair = { socket, up };
    tunnels.add(pair);
    const drop = () => { tunnels.delete(pair); socket.destroy(); up.destroy(); };
    socket.on('error', drop); up.on('error', drop); socket.on('close', drop); up.on('close', drop);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    refuseUpgrades() {
      refuseUpgrades = true;
      for (const t of [...tunnels]) { t.socket.destroy(); t.up.destroy(); }
    },
    allowUpgrades() {
      refuseUpgrades = false;
    },
    /** WebSocket connections carried now. */
    get tunnels() {
      return tunnels.size;
    },
    close: () => new Promise((r) => { for (const t of tunnels) { t.socket.destroy(); t.up.destroy(); } server.closeAllConnections?.(); server.close(() => r()); }),
  };
}
