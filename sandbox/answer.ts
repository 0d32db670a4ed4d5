// Answers as they go on the wire: a status, a JSON body (or a gateway's HTML page) and headers;
// and the two ways a faulted request ends without a whole answer (a reset socket, half a body).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { errorDocument, type ErrorSpec } from './errors.js'

export interface Answer {
  status: number
  /** Sent as JSON, unless it is a string already (an HTML page). */
  body: unknown
  headers?: Record<string, string>
}

export function ok(body: unknown): Answer {
  return { status: 200, body }
}

export function errorAnswer(
  status: number,
  specs: readonly ErrorSpec[],
  headers?: Record<string, string>
): Answer {
  return { status, body: errorDocument(status, specs), headers }
}

/** Sends the answer with `extraHeaders` (the rate limit); returns the bytes of its body. */
export function send(
  res: ServerResponse,
  answer: Answer,
  extraHeaders: Record<string, string>
): number {
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  const bytes = Buffer.byteLength(text)
  res.writeHead(answer.status, {
    'Content-Type': 'application/json',
    ...answer.headers,
    ...extraHeaders,
    'Content-Length': bytes
  })
  res.end(text)
  return bytes
}

/**
 * 200 with valid headers and the first half of a JSON text. No Content-Length, so the client
 * sees a complete response whose JSON is cut. Returns the bytes sent.
 */
export function sendTruncated(
  res: ServerResponse,
  json: string,
  extraHeaders: Record<string, string>
): number {
  const cut = json.slice(0, Math.floor(json.length / 2))
  res.writeHead(200, { 'Content-Type': 'application/json', ...extraHeaders })
  res.end(cut)
  return Buffer.byteLength(cut)
}

/** A TCP reset where the socket allows it, otherwise an abrupt close: the client sees a socket error. */
export function resetSocket(req: IncomingMessage): void {
  const socket = req.socket
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}
