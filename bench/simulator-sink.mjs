// A ground-station sink for the simulator benchmark, run as its own process so that its receive
// cost is not charged to the simulator. Argv: requestHex heartbeatHex. Prints its port, then on
// each "report" line on stdin prints JSON counters.
import dgram from 'node:dgram';
import readline from 'node:readline';

const request = Buffer.from(process.argv[2], 'hex');
const heartbeat = Buffer.from(process.argv[3], 'hex');
const socket = dgram.createSocket('udp4');
const peers = new Map();
let datagrams = 0;
let bytes = 0;
socket.on('message', (data, rinfo) => {
  datagrams++;
  bytes += data.length;
  const key = `${rinfo.address}:${rinfo.port}`;
  if (!peers.has(key)) {
    peers.set(key, rinfo);
    socket.send(request, rinfo.port, rinfo.address);
  }
});
setInterval(() => {
  for (const p of peers.values()) socket.send(heartbeat, p.port, p.address);
}, 1000);
socket.bind({ address: '127.0.0.1', port: 0 }, () => {
  socket.setRecvBufferSize(16 * 1024 * 1024);
  console.log(JSON.stringify({ port: socket.address().port }));
});
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'report') console.log(JSON.stringify({ datagrams, bytes, peers: peers.size }));
  if (line === 'quit') process.exit(0);
});
