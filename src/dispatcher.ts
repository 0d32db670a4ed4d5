// How the action reaches App Store Connect: through the runner's proxy when it has one, never
// through a proxy for a loopback API.
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { ActionError, errorMessage } from './errors.js'

/**
 * Self-hosted runners behind a proxy set HTTPS_PROXY / NO_PROXY; a malformed one is the user's
 * to fix. A loopback API (a local sandbox) is never reached through a proxy: the token would
 * travel to the proxy, in clear text over http.
 */
export function proxyAwareDispatcher(apiBaseUrl: string): Dispatcher {
  if (isLoopbackHost(new URL(apiBaseUrl).hostname)) return new Agent()
  try {
    return new EnvHttpProxyAgent()
  } catch (error) {
    throw new ActionError(
      `The proxy settings of the runner cannot be used (${errorMessage(error)}): HTTPS_PROXY, HTTP_PROXY and NO_PROXY ` +
        'must be URLs such as http://proxy.example.com:8080, or unset.'
    )
  }
}

/** localhost, [::1] or 127.x.x.x: the machine itself. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}
