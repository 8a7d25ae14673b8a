/**
 * The ceiling: a bare `node:http` server that reads the request body and answers a fixed JSON body
 * the size of a token response. Nothing on this machine answers HTTP faster from Node.
 */
import { createServer } from 'node:http';

const body = JSON.stringify({
  access_token: '2f8bd4f5-1f38-4ad5-a4d1-6a1c3cf3f0a7',
  token_type: 'bearer',
  expires_in: 43199,
  scope: '*',
});
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': Buffer.byteLength(body),
  'cache-control': 'no-store',
};

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`ceiling listening on ${process.env.PORT}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
