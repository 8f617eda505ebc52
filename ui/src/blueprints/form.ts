/**
 * The blueprint editor's form model and its checks, which follow the portal's (domain Quantities
 * and Validation) so an admin sees what to fix before sending.
 */
import type { Acl, Blueprint, BlueprintRequest, Tool } from '../api/types';
import { validateWorkspaceName } from '../workspaces/name';
import { aclFrom, aclToSend, OPEN_ACL, validateAcl } from './acl';

export interface EnvRow {
  key: string;
  value: string;
}

export interface BlueprintForm {
  name: string;
  clusterId: string;
  image: string;
  cpu: string;
  memory: string;
  storage: string;
  /** Comma- or space-separated port numbers. */
  ports: string;
  env: EnvRow[];
  startCommand: string;
  acl: Acl;
  /** Typed into the ACL's entry field but not added yet; saved along if valid. */
  aclPending: string;
  /** Not edited here; carried so that saving keeps them (a PUT without them would drop them). */
  tools: Tool[] | null;
  llm: { provider: string; endpoint: string | null } | null;
}

export type FormErrors = Partial<Record<keyof BlueprintForm, string>>;

export const EMPTY_FORM: BlueprintForm = {
  name: '',
  clusterId: '',
  image: '',
  cpu: '1',
  memory: '2Gi',
  storage: '10Gi',
  ports: '',
  env: [],
  startCommand: '',
  acl: OPEN_ACL,
  aclPending: '',
  tools: null,
  llm: null,
};

const CPU = /^(\d{1,6})(m?)$/;
const BYTES = /^(\d{1,7})(Mi|Gi|Ti)$/;
const MIB_PER = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;
/** The portal's bounds (domain Validation): millicores, MiB, GiB. */
export const CPU_MILLIS = { min: 100, max: 64_000 };
export const MEMORY_MIB = { min: 64, max: 256 * 1024 };
export const STORAGE_GIB = { min: 1, max: 2048 };

function cpuMillis(text: string): number | null {
  const m = CPU.exec(text.trim());
  return m ? Number(m[1]) * (m[2] ? 1 : 1000) : null;
}

function mib(text: string): number | null {
  const m = BYTES.exec(text.trim());
  return m ? Number(m[1]) * MIB_PER[m[2] as keyof typeof MIB_PER] : null;
}
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
export const MAX_PORTS = 16;
export const MAX_ENV = 100;

export function formFrom(blueprint: Blueprint): BlueprintForm {
  return {
    name: blueprint.name,
    clusterId: blueprint.clusterId,
    image: blueprint.image,
    cpu: blueprint.resources?.cpu ?? '',
    memory: blueprint.resources?.memory ?? '',
    storage: blueprint.resources?.storage ?? '',
    ports: (blueprint.ports ?? []).join(', '),
    env: Object.entries(blueprint.env ?? {}).map(([key, value]) => ({ key, value })),
    startCommand: blueprint.startCommand ?? '',
    acl: aclFrom(blueprint.acl),
    aclPending: '',
    tools: blueprint.tools ?? null,
    llm: blueprint.llm ? { provider: blueprint.llm.provider, endpoint: blueprint.llm.endpoint ?? null } : null,
  };
}

export function parsePorts(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const ports: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,5}$/.test(part) || Number(part) < 1 || Number(part) > 65535) {
      return `"${part}" is not a port: use numbers from 1 to 65535.`;
    }
    ports.push(Number(part));
  }
  if (new Set(ports).size !== ports.length) {
    return 'List each port once.';
  }
  if (ports.length > MAX_PORTS) {
    return `At most ${MAX_PORTS} ports.`;
  }
  return ports;
}

export function validateForm(form: BlueprintForm, clusterCount: number): FormErrors {
  const errors: FormErrors = {};
  const nameProblem = validateWorkspaceName(form.name.trim());
  if (nameProblem) errors.name = `${nameProblem} Blueprint names follow the same rule as workspace names.`;
  if (!form.clusterId && clusterCount !== 1) errors.clusterId = 'Choose the cluster its workspaces run on.';
  if (!form.image.trim()) errors.image = 'Enter a container image, such as "debian:12".';
  const cpu = cpuMillis(form.cpu);
  if (cpu === null || cpu < CPU_MILLIS.min || cpu > CPU_MILLIS.max) {
    errors.cpu = 'A CPU quantity from "100m" (a tenth of a core) to "64".';
  }
  const memory = mib(form.memory);
  if (memory === null || memory < MEMORY_MIB.min || memory > MEMORY_MIB.max) {
    errors.memory = 'A memory quantity from "64Mi" to "256Gi", such as "512Mi" or "4Gi".';
  }
  const storage = mib(form.storage);
  if (storage === null || storage % 1024 !== 0 || storage / 1024 < STORAGE_GIB.min || storage / 1024 > STORAGE_GIB.max) {
    errors.storage = 'A whole number of Gi from "1Gi" to "2048Gi", such as "10Gi".';
  }
  const ports = parsePorts(form.ports);
  if (typeof ports === 'string') errors.ports = ports;
  const keys = form.env.map((row) => row.key.trim());
  const badKey = keys.find((key) => !ENV_KEY.test(key));
  if (badKey !== undefined) {
    errors.env = badKey ? `"${badKey}" is not a variable name: letters, digits and '_', not starting with a digit.`
      : 'Every variable needs a name.';
  } else if (new Set(keys).size !== keys.length) {
    errors.env = 'Each variable name may appear once.';
  } else if (keys.length > MAX_ENV) {
    errors.env = `At most ${MAX_ENV} variables.`;
  }
  const aclProblem = validateAcl(form.acl, form.aclPending);
  if (aclProblem) errors.acl = aclProblem;
  return errors;
}

/** The request body; call only when validateForm found nothing. */
export function requestFrom(form: BlueprintForm): BlueprintRequest {
  const ports = parsePorts(form.ports);
  return {
    name: form.name.trim(),
    clusterId: form.clusterId || null,
    image: form.image.trim(),
    resources: { cpu: form.cpu.trim(), memory: form.memory.trim(), storage: form.storage.trim() },
    ports: typeof ports === 'string' ? [] : ports,
    env: Object.fromEntries(form.env.map((row) => [row.key.trim(), row.value])),
    startCommand: form.startCommand.trim() || null,
    ...(form.tools ? { tools: form.tools } : {}),
    ...(form.llm ? { llm: form.llm } : {}),
    acl: aclToSend(form.acl, form.aclPending),
  };
}
