// Drives the emulator with the official @octavus/server-sdk and prints one JSON report.
// Usage: node server_sdk_driver.mjs (OCTAVUS_API_URL, OCTAVUS_API_KEY, AGENT_ID, SDK_DIR set)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const sdkEntry = path.join(process.env.SDK_DIR, 'node_modules', '@octavus', 'server-sdk', 'dist', 'index.js');
const sdk = await import(pathToFileURL(sdkEntry).href);
const { OctavusClient, safeParseStreamEvent, safeParseUIMessages } = sdk;

const baseUrl = process.env.OCTAVUS_API_URL;
const apiKey = process.env.OCTAVUS_API_KEY;
const agentId = process.env.AGENT_ID;
const client = new OctavusClient({ baseUrl, apiKey });
const report = { events: 0, invalidEvents: [], steps: {} };

async function drain(session, request) {
  const types = [];
  for await (const event of session.execute(request)) {
    report.events += 1;
    types.push(event.type);
    const parsed = safeParseStreamEvent(event);
    if (!parsed.success) report.invalidEvents.push({ type: event.type, error: String(parsed.error) });
  }
  return types;
}

const input = { COMPANY_NAME: 'Acme', PRODUCT_NAME: 'Widget', PLAN_TIER: 'pro' };
const sessionId = await client.agentSessions.create(agentId, input);
const tools = {
  'check-order-status': async (args) => ({ status: 'shipped', orderId: args.orderId }),
};
const session = client.agentSessions.attach(sessionId, { tools });
report.steps.toolLoop = await drain(session, {
  type: 'trigger',
  triggerName: 'user-message',
  input: { USER_MESSAGE: '/call check-order-status {"orderId": "ORD-7"}' },
});

const ui = await client.agentSessions.getMessages(sessionId);
const parsedUi = safeParseUIMessages(ui.messages);
report.steps.uiMessagesValid = parsedUi.success;
report.steps.uiMessageRoles = ui.messages.map((m) => m.role);
report.steps.lastText = ui.messages.at(-1).parts.filter((p) => p.type === 'text').map((p) => p.text).join('');

const cleared = await fetch(`${baseUrl}/api/agent-sessions/${sessionId}`, {
  method: 'DELETE',
  headers: client.getHeaders(),
});
report.steps.clearStatus = cleared.status;
const expired = await client.agentSessions.get(sessionId);
report.steps.expiredStatus = expired.status;
const restored = await client.agentSessions.restore(sessionId, ui.messages, input);
report.steps.restored = restored.restored;
report.steps.afterRestore = await drain(client.agentSessions.attach(sessionId, { tools }), {
  type: 'trigger',
  triggerName: 'user-message',
  input: { USER_MESSAGE: 'Still there?' },
});
const full = await client.agentSessions.get(sessionId);
report.steps.messageCount = full.messages.length;

const upload = await client.files.getUploadUrls(sessionId, [
  { filename: 'note.txt', mediaType: 'text/plain', size: 5 },
]);
report.steps.uploadUrls = upload.files.length;
console.log(JSON.stringify(report));
