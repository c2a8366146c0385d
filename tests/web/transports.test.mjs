// Chat, a server restart mid-conversation and the kick, over websocket, long-polling and
// callback-polling (JSONP), each forced with ?transport=… and shown by the connection chip.
import { test } from 'node:test';
import {
  useServerAndBrowser,
} from './support.mjs';
import { chatBothWays, serverRestart, kicked } from './flows.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

for (const transport of ['websocket', 'long-polling', 'callback-polling']) {
  test(`chat both ways over ${transport}`, () => chatBothWays(browser, server, transport));
  test(`the server restarts mid-conversation over ${transport}: pages reconnect and show every message once`, () => serverRestart(browser, server, transport));
  test(`a second sign-in kicks the first page over ${transport}`, () => kicked(browser, server, transport));
}
