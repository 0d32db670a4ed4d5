// A small forward proxy on loopback that tunnels CONNECT requests, as corporate proxies do
// for https, and remembers every tunnel it opened and every plain request it was sent (an
// http request through a proxy carries its Authorization header in clear text).
import { createServer, STATUS_CODES, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface ConnectProxy {
  url: string
  /** `host:port` of each CONNECT, in order. */
  tunnels: string[]
  /** Plain (not CONNECT) requests: the absolute URL asked for, and its Authorization header. */
  forwarded: Array<{ url: string; authorization: string | undefined }>
  /** Answer CONNECT with this status instead of opening the tunnel (403, 407, 502...). */
  refuse: number | undefined
  close(): Promise<void>
}

export interface ConnectProxyOptions {
  /** Where a CONNECT host really is: lets a test name a host no DNS knows. Default: as asked. */
  resolve?: (host: string) => string
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>()
  const state: Pick<ConnectProxy, 'tunnels' | 'forwarded' | 'refuse'> = {
    tunnels: [],
    forwarded: [],
    refuse: undefined
  }
  const server: Server = createServer((request, response) => {
    state.forwarded.push({ url: request.url ?? '', authorization: request.headers.authorization })
    response.writeHead(405).end('this proxy only tunnels CONNECT')
  })
  server.on('connect', (request, client: Socket, head: Buffer) => {
    const target = request.url ?? ''
    state.tunnels.push(target)
    if (state.refuse !== undefined) {
      const status = state.refuse
      client.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const [host, port] = [
      target.slice(0, target.lastIndexOf(':')),
      Number(target.slice(target.lastIndexOf(':') + 1))
    ]
    const upstream = connect(port, options.resolve?.(host) ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const proxy = state as ConnectProxy
  proxy.url = `http://127.0.0.1:${port}`
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy()
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return proxy
}
