'use strict';
// Starts the telegram-test-api emulator on 127.0.0.1 for end-to-end tests.
// Port: TG_EMULATOR_PORT (default 9001). Unread messages expire after
// TG_EMULATOR_STORE_TIMEOUT seconds (default 60, the package default).
const TelegramServer = require('telegram-test-api');

const port = Number(process.env.TG_EMULATOR_PORT || 9001);
const storeTimeout = Number(process.env.TG_EMULATOR_STORE_TIMEOUT || 60);
const server = new TelegramServer({ host: '127.0.0.1', port, storeTimeout });

// The client routes do not await their work, so a bad request (say
// /sendCommand without entities) is an unhandled rejection, which would
// end Node. Log it and keep serving.
process.on('unhandledRejection', (err) => console.error(`tg-emulator: ${err && err.message}`));

const stop = () => {
  setTimeout(() => process.exit(0), 2000).unref();
  server.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

server.start().then(
  () => console.log(`tg-emulator ready on ${server.config.apiURL}`),
  (err) => { console.error(`tg-emulator: ${err.message}`); process.exit(1); },
);
