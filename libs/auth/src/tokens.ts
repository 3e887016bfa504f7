import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session and CSRF tokens. */
export const newToken = () => randomBytes(32).toString('base64url');

/** What is stored for a session token: its sha256, so a copy of the table hands out no sessions. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
