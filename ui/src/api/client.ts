/**
 * The one way the UI calls the portal: bearer token on every call, problem+json turned into an
 * ApiError, 401 handed to the session (which renews), and writes held as "busy" so a renewal
 * round trip never cuts one off.
 */
import { busyRegistry } from '../auth/renewal';
import { ApiError, NETWORK_PROBLEM, parseRetryAfter, readProblem } from './problem';

export interface Credentials {
  accessToken: string;
  /** Called on 401; the session renews (full-page) unless that would loop. */
  handleUnauthorized(): boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export class ApiClient {
  constructor(
    private readonly credentials: Credentials,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** A raw authorised request, for streams: the caller reads the body. */
  async open(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.credentials.accessToken}`);
    let response: Response;
    try {
      response = await this.fetchFn(path, { ...init, headers });
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        throw e;
      }
      throw new ApiError(NETWORK_PROBLEM);
    }
    if (!response.ok) {
      const problem = await readProblem(response);
      if (response.status === 401) {
        this.credentials.handleUnauthorized();
      }
      throw new ApiError(problem, parseRetryAfter(response.headers.get('Retry-After')));
    }
    return response;
  }

  async request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const release = method === 'GET' ? undefined : busyRegistry.hold(`${method} ${path}`);
    try {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      const response = await this.open(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    } finally {
      release?.();
    }
  }
}
