/** Types for the proxy Worker script, which stays plain JavaScript so users can paste it as is. */
declare const worker: {
  fetch(request: Request, env?: { ALLOWED_HOSTS?: string; APP_ORIGIN?: string }): Promise<Response>;
};
export default worker;
