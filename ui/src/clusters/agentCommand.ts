/** The command an operator runs on the cluster (README "Running an agent against a remote portal"). */
export const DEFAULT_GATEWAY_PORT = 9443;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function agentCommand(gatewayHost: string, joinToken: string, port = DEFAULT_GATEWAY_PORT): string {
  return `java -jar rde-agent.jar --gateway ${gatewayHost}:${port} --join-token ${shellQuote(joinToken)} `
    + '--runtime local --data-dir /var/lib/rde-agent';
}
