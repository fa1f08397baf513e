#!/usr/bin/env node
// Sends one payload to every subscription with the web-push library, with a
// bounded number of requests in flight over keep-alive connections, and
// prints {"pushes", "ok", "seconds", "cpuMicros", "connections"} as JSON. Used by
// scripts/bench-push.sh to compare against Pforte's Go sender.
//   node bench-web-push.js SUBS.json CA.pem VAPID_PUBLIC VAPID_PRIVATE CONCURRENCY
'use strict';
const fs = require('fs');
const https = require('https');
const webpush = require('web-push');

async function main() {
  const [subsFile, caFile, vapidPublic, vapidPrivate, concurrency] = process.argv.slice(2);
  const subs = JSON.parse(fs.readFileSync(subsFile, 'utf8'));
  const workers = Number(concurrency) || 32;
  const agent = new https.Agent({ keepAlive: true, maxSockets: workers, ca: fs.readFileSync(caFile) });
  // Count TLS connections to show they are reused, as Go's client does.
  let connections = 0;
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (...args) => { connections++; return createConnection(...args); };
  const payload = Buffer.from(JSON.stringify({
    title: 'IT-Hinweis: Wartung heute Abend',
    body: 'Die Dateiablage ist zwischen 19:00 und 21:00 Uhr nicht erreichbar. Bitte speichern Sie rechtzeitig.',
    url: '/announcements/42',
  }));
  const options = {
    TTL: 86400,
    urgency: 'normal',
    vapidDetails: { subject: 'mailto:it@example.org', publicKey: vapidPublic, privateKey: vapidPrivate },
    agent,
  };
  let next = 0;
  let ok = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < subs.length) {
      const sub = subs[next++];
      try {
        const res = await webpush.sendNotification(sub, payload, options);
        if (res.statusCode === 201) ok++;
      } catch (err) {
        if (ok === 0 && next < 3) console.error(err.message || err);
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  console.log(JSON.stringify({ pushes: subs.length, ok, seconds, cpuMicros: cpu.user + cpu.system, connections }));
}

main().catch((err) => { console.error(err); process.exit(1); });
