/**
 * `hocba agent`: the local signing agent a teacher runs on their own PC, next to the USB
 * token. It opens the token (PKCS#11), listens on 127.0.0.1 for the hocba web page of the
 * configured origin(s), prints one-time pairing codes, and asks y/N in this terminal before
 * every signature batch. See docs/signing-adapters.md.
 */
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { AGENT_DEFAULT_PORT } from '../signing/agent/agent-protocol.ts';
import { startAgentServer, type ConfirmRequest } from '../signing/agent/agent-server.ts';
import { listPkcs11Tokens, openPkcs11Signer } from '../signing/signers/pkcs11-signer.ts';
import { ask } from './prompt.ts';

interface AgentCliOptions {
  module?: string;
  slot?: string;
  tokenLabel?: string;
  keyLabel?: string;
  keyId?: string;
  pin?: string;
  origin?: string[];
  port: string;
  listTokens?: boolean;
}

const MAX_LABELS_SHOWN = 20;

/**
 * Reads one answer line from stdin (a terminal, or a pipe driven by another program). Lines
 * typed while no question is pending are ignored, so a stray "y" cannot approve a later batch.
 */
function lineReader() {
  const rl = createInterface({ input: process.stdin, terminal: false });
  let waiting: ((line: string | null) => void) | null = null;
  rl.on('line', (line) => {
    const w = waiting;
    waiting = null;
    w?.(line);
  });
  rl.on('close', () => {
    const w = waiting;
    waiting = null;
    w?.(null);
  });
  return {
    next(signal: AbortSignal): Promise<string | null> {
      return new Promise((resolve) => {
        waiting = resolve;
        signal.addEventListener('abort', () => {
          if (waiting === resolve) waiting = null;
          resolve(null);
        }, { once: true });
      });
    },
    close: () => rl.close(),
  };
}

export function registerAgentCommands(program: Command): void {
  program
    .command('agent')
    .description('chạy trình ký số cục bộ cho USB token / run the local signing agent for a USB token (PKCS#11)')
    .option('--module <path>', 'PKCS#11 library of the token vendor (env HOCBA_PKCS11_MODULE)')
    .option('--slot <n>', 'token slot index (see --list-tokens)')
    .option('--token-label <label>', 'token label (instead of --slot)')
    .option('--key-label <label>', 'label of the signing key on the token')
    .option('--key-id <hex>', 'CKA_ID of the signing key, hex (instead of --key-label)')
    .option('--pin <pin>', 'token PIN (visible in the process list: prefer env HOCBA_TOKEN_PIN or the hidden prompt)')
    .option('--origin <url...>', 'hocba server address(es) allowed to use the agent (env HOCBA_AGENT_ORIGINS, comma-separated)')
    .option('--port <n>', 'port on 127.0.0.1', String(AGENT_DEFAULT_PORT))
    .option('--list-tokens', 'list the tokens the module sees, then exit')
    .action(async (o: AgentCliOptions) => {
      const modulePath = o.module ?? process.env.HOCBA_PKCS11_MODULE;
      if (!modulePath) throw new Error('--module is required (path of the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so)');
      if (o.listTokens) {
        const tokens = listPkcs11Tokens(modulePath);
        if (tokens.length === 0) console.log('Không thấy token nào / no token present');
        for (const t of tokens) console.log(`slot ${t.slot}: "${t.label}" — ${t.manufacturer} ${t.model} (serial ${t.serialNumber})`);
        return;
      }
      const origins = o.origin ?? (process.env.HOCBA_AGENT_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (origins.length === 0) throw new Error('--origin is required: the address of the hocba server, e.g. https://hocba.truong.edu.vn');
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port} is not a port number (0 = any free port)`);
      const pin = o.pin ?? process.env.HOCBA_TOKEN_PIN ?? (await ask('Mã PIN của token / token PIN: ', { hidden: true }));

      const signer = await openPkcs11Signer({
        modulePath,
        pin,
        ...(o.slot !== undefined ? { slot: Number(o.slot) } : {}),
        ...(o.tokenLabel !== undefined ? { tokenLabel: o.tokenLabel } : {}),
        ...(o.keyLabel !== undefined ? { keyLabel: o.keyLabel } : {}),
        ...(o.keyId !== undefined ? { keyId: o.keyId } : {}),
      });
      const input = lineReader();
      const confirm = async (r: ConfirmRequest): Promise<boolean> => {
        console.log(`\n${r.origin} xin ký ${r.count} mục / asks to sign ${r.count} item(s) (${r.algorithm}):`);
        for (const label of r.labels.slice(0, MAX_LABELS_SHOWN)) console.log(`  • ${label}`);
        if (r.labels.length > MAX_LABELS_SHOWN) console.log(`  … và ${r.labels.length - MAX_LABELS_SHOWN} mục khác / and ${r.labels.length - MAX_LABELS_SHOWN} more`);
        process.stdout.write('Đồng ý ký? / Sign? [y/N] ');
        const answer = (await input.next(r.signal))?.trim().toLowerCase() ?? '';
        const ok = answer === 'y' || answer === 'yes' || answer === 'c' || answer === 'có';
        console.log(ok ? 'Đã ký / signed.' : 'Đã từ chối / declined.');
        return ok;
      };
      const agent = await startAgentServer({
        signer,
        allowedOrigins: origins,
        port,
        confirm,
        showPairingCode: (code, origin) => console.log(`\nMã ghép nối cho / pairing code for ${origin}: ${code}\n(nhập mã này trên trang hocba; hết hạn sau 5 phút / type it into the hocba page; expires in 5 minutes)`),
      });
      console.log(`hocba agent: ${signer.description} — listening on ${agent.url} for ${origins.join(', ')}`);
      console.log('Ctrl+C để dừng / to stop.');
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      input.close();
      await agent.close();
      await signer.close();
      console.log('hocba agent: stopped.');
    });
}
