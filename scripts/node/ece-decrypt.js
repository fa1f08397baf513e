#!/usr/bin/env node
// Decrypts one Web Push message with Mozilla's http_ece (aes128gcm), as an
// independent check of Pforte's encryption. Reads JSON from stdin:
//   {"body": base64url, "privateKey": base64url (32-byte ECDH scalar), "authSecret": base64url}
// and prints the plaintext, base64url encoded, on stdout.
'use strict';
const crypto = require('crypto');
const ece = require('http_ece');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const req = JSON.parse(input);
  const receiver = crypto.createECDH('prime256v1');
  receiver.setPrivateKey(Buffer.from(req.privateKey, 'base64url'));
  const plain = ece.decrypt(Buffer.from(req.body, 'base64url'), {
    version: 'aes128gcm',
    privateKey: receiver,
    authSecret: req.authSecret,
  });
  process.stdout.write(plain.toString('base64url'));
});
