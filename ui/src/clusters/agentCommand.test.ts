import { expect, it } from 'vitest';
import { agentCommand } from './agentCommand';

it('builds the agent command line with the token quoted for the shell', () => {
  expect(agentCommand('portal.example.com', "rde1.prod-eu.x'y")).toBe(
    "java -jar rde-agent.jar --gateway portal.example.com:9443 --join-token 'rde1.prod-eu.x'\\''y' "
      + '--runtime local --data-dir /var/lib/rde-agent',
  );
});
