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

export type AclMode = 'open' | 'restricted';

/** Who may see and launch a blueprint; admins always may. */
export interface Acl {
  mode: AclMode;
  emails: string[];
  domains: string[];
}

export interface Tool {
  name: string;
  command: string;
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
  tools?: Tool[] | null;
  /** The key itself is write-only: the portal says only whether one is set. */
  llm?: { provider: string; endpoint: string | null; keySet: boolean } | null;
  acl?: Acl | null;
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
  /** Sent back as read, so saving the form never drops what it does not edit. */
  tools?: Tool[];
  /** Without `apiKey` the stored key is kept. */
  llm?: { provider: string; endpoint: string | null };
  acl: Acl;
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

/** One connection of the connection log (`GET /api/v1/security/sessions`). */
export interface Connection {
  id: string;
  type: 'terminal' | 'preview' | string;
  user: string | null;
  clientIp: string | null;
  workspaceId: string | null;
  detail: string | null;
  openedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  requests: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
}

export type FirewallAction = 'allow' | 'deny';

export interface FirewallRule {
  action: FirewallAction;
  cidr: string;
  note: string | null;
}

export interface Firewall {
  rules: FirewallRule[];
}

/** A refused connection (`GET /api/v1/security/firewall/events`). */
export interface FirewallBlock {
  at: string;
  user: string | null;
  clientIp: string | null;
  target: string | null;
  rule: FirewallRule | null;
  reason: string | null;
}

export interface AuditEntry {
  sequence: number;
  time: string | null;
  actor: string | null;
  ip: string | null;
  type: string;
  subject: string | null;
  summary: string | null;
  payload: unknown;
  eventId: string | null;
  correlationId: string | null;
}

export interface AuditFinding {
  sequence: number;
  kind: 'altered' | 'deleted' | 'inserted' | string;
  detail: string | null;
}

export interface VerificationReport {
  intact: boolean;
  checked: number;
  pending: number;
  head: { sequence: number; position: number; link: string } | null;
  firstDivergence: AuditFinding | null;
  findings: AuditFinding[];
  truncated: boolean;
}

export const PUBLISH_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'PUBLISHED', 'FAILED', 'UNPUBLISHING', 'UNPUBLISHED'] as const;

export type PublishStatus = (typeof PUBLISH_STATUSES)[number];

export interface PublishRequest {
  id: string;
  workspaceId: string;
  workspaceName: string | null;
  requester: string;
  port: number;
  note: string | null;
  status: PublishStatus;
  reviewer: string | null;
  comment: string | null;
  requestedAt: string;
  reviewedAt: string | null;
  autoApproved: boolean;
  url: string | null;
  /** Why it FAILED, why the last approval was refused, or why removing it failed ("unpublish failed: …"). */
  reason: string | null;
}

export interface Branding {
  productName: string;
  accentColor: string;
  logoUrl: string | null;
}

export interface RateLimits {
  launchesPerMinute: number;
  requestsPerMinute: number;
}

export interface Settings {
  branding: Branding;
  rateLimits: RateLimits;
}
