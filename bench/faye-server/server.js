// A plain Faye Node server for side-by-side benchmarks: the endpoint at /cometd, every channel
// open (as Parley's --Bayeux:OpenChannels:0=/bench/** for the benchmark), held connects of 25 s
// like Parley's default. Usage: node server.js [port] [host]
'use strict';
const http = require('http');
const faye = require('faye');

const port = Number(process.argv[2] || 5096);
const host = process.argv[3] || '127.0.0.1';

const bayeux = new faye.NodeAdapter({ mount: '/cometd', timeout: 25, ping: 30 });
const server = http.createServer((req, res) => {
  if (req.url === '/health/live') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('Healthy');
    return;
  }
  res.writeHead(404);
  res.end();
});
bayeux.attach(server);
server.listen(port, host, () => console.log(`faye ${require('faye/package.json').version} listening on http://${host}:${port}/cometd (pid ${process.pid})`));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
