import nodemailer from 'nodemailer';
import { DeliveryError, type Sender } from './sender';

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
}

/** One mail to all of a dong center's addresses, the XLSX attached. */
export function emailSender(smtp: SmtpOptions): Sender {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'email',
    async send(addresses, message) {
      try {
        await transport.sendMail({
          from: smtp.from,
          to: addresses,
          subject: message.subject,
          text: message.text,
          attachments: message.attachment
            ? [
                {
                  filename: message.attachment.filename,
                  content: message.attachment.content,
                  contentType: message.attachment.contentType,
                },
              ]
            : [],
        });
      } catch (err) {
        const e = err as { responseCode?: number; code?: string; message?: string };
        throw new DeliveryError('email', e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? e.message ?? 'failed'));
      }
    },
  };
}
