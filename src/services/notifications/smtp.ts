/**
 * Where reminder e-mail goes: the school's own SMTP server (plan_settings) or, when it has
 * none, the deployment's (SMTP_HOST, SMTP_PORT, SMTP_SECURE=1, SMTP_USER, SMTP_PASSWORD,
 * SMTP_FROM). The password is only ever handed to nodemailer: never logged, never returned
 * by the API, and errors are reported without it.
 */
import nodemailer from 'nodemailer';
import type { Tx } from '../../db/scope.ts';
import { planSettings } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  source: 'school' | 'env';
}

/** An outgoing message (plain text and HTML). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message; resolves when the server accepted it. */
export type SendMail = (msg: MailMessage) => Promise<void>;

/** The SMTP configuration in force for a school, or null when e-mail is not configured. */
export async function smtpConfigFor(tx: Tx, schoolId: string, env: NodeJS.ProcessEnv = process.env): Promise<SmtpConfig | null> {
  const [s] = await tx.select().from(planSettings).where(eq(planSettings.schoolId, schoolId));
  if (s?.smtpHost) {
    return { host: s.smtpHost, port: s.smtpPort ?? (s.smtpSecure ? 465 : 587), secure: s.smtpSecure, user: s.smtpUser, password: s.smtpPassword, from: s.smtpFrom ?? `hocba@${s.smtpHost}`, source: 'school' };
  }
  if (env.SMTP_HOST) {
    const secure = env.SMTP_SECURE === '1' || env.SMTP_SECURE === 'true';
    return { host: env.SMTP_HOST, port: Number(env.SMTP_PORT || (secure ? 465 : 587)), secure, user: env.SMTP_USER || null, password: env.SMTP_PASSWORD || null, from: env.SMTP_FROM || `hocba@${env.SMTP_HOST}`, source: 'env' };
  }
  return null;
}

/** A sender over SMTP (nodemailer); close() when done. */
export function smtpSender(config: SmtpConfig): { send: SendMail; close(): void } {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    logger: false,
  });
  return {
    async send(msg) {
      try {
        await transport.sendMail({ from: config.from, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html });
      } catch (err) {
        // nodemailer's messages name the server and the SMTP reply, not the credentials; strip them anyway.
        const text = err instanceof Error ? err.message : String(err);
        throw new Error(`SMTP ${config.host}:${config.port}: ${config.password ? text.split(config.password).join('***') : text}`.slice(0, 500));
      }
    },
    close: () => transport.close(),
  };
}
