/** Shapes of the portal's JSON (API.md "Shapes that clients rely on"). */

export type Role = 'admin' | 'user';

export interface Member {
  email: string;
  role: Role;
  trusted: boolean;
  workspaceLimit: number | null;
}

export interface ListResponse<T> {
  items: T[];
  next: string | null;
}

export interface Resources {
  cpu: string;
  memory: string;
  storage: string;
}

export interface Blueprint {
  id: string;
  name: string;
  clusterId: string;
  image: string;
  resources: Resources | null;
  ports: number[] | null;
  env: Record<string, string> | null;
  startCommand: string | null;
  /** AI tools, opened as terminal tabs by NAME (the portal runs the tool's command). */
  tools?: { name: string; command: string }[] | null;
  createdAt?: string;
  updatedAt?: string;
}

/** What `POST /api/v1/blueprints` and `PUT /api/v1/blueprints/{id}` take. */
export interface BlueprintRequest {
  name: string;
  clusterId: string | null;
  image: string;
  resources: Resources;
  ports: number[];
  env: Record<string, string>;
  startCommand: string | null;
}

export const WORKSPACE_STATUSES = [
  'PENDING',
  'PROVISIONING',
  'RUNNING',
  'STOPPING',
  'STOPPED',
  'DELETING',
  'DELETED',
  'FAILED',
] as const;

export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

export interface Workspace {
  id: string;
  name: string;
  blueprintId: string;
  clusterId?: string;
  owner: string;
  status: WorkspaceStatus;
  statusReason: string | null;
  ports?: number[];
  createdAt: string;
  updatedAt: string;
}

export interface Accepted {
  id: string;
  status: WorkspaceStatus;
}

export interface Agent {
  agentId: string;
  hostname: string | null;
  connected: boolean;
  protocolVersion: string | null;
  runtime: string | null;
  lastChangeAt: string | null;
}

export interface Cluster {
  id: string;
  name: string;
  registeredAt: string;
  agents: Agent[];
}

export interface RegisteredCluster {
  id: string;
  joinToken: string;
}

export interface TerminalTicket {
  ticket: string;
  expiresAt: string;
}
