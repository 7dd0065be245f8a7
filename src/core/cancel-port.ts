/**
 * An AbortSignal across a worker boundary. A signal cannot be cloned, and a Comlink call cannot be cancelled, so
 * the page passes a MessagePort with the call (transferred, `Comlink.transfer(port, [port])`) and the worker turns
 * it back into a signal: a cancel reaches the running job without terminating the worker (and its warm CRM index).
 */

export interface CancelPort {
  /** Transfer this one with the call. */
  port: MessagePort;
  /** Call when the call settles: stops listening to the signal and closes the channel. */
  release(): void;
}

/** Page side: a port that carries `signal`'s abort to the worker. */
export function cancelPortFor(signal: AbortSignal): CancelPort {
  const channel = new MessageChannel();
  const onAbort = () => channel.port1.postMessage('abort');
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    port: channel.port2,
    release: () => {
      signal.removeEventListener('abort', onAbort);
      channel.port1.close();
    },
  };
}

export interface PortSignal {
  signal: AbortSignal;
  /** Call when the job ends: closes the port so it keeps nothing alive. */
  close(): void;
}

/** Worker side: the signal a transferred port aborts (a signal that never aborts without a port). */
export function signalFromPort(port: MessagePort | undefined): PortSignal {
  const controller = new AbortController();
  if (!port) return { signal: controller.signal, close: () => undefined };
  port.onmessage = () => controller.abort();
  return {
    signal: controller.signal,
    close: () => {
      port.onmessage = null;
      port.close();
    },
  };
}
