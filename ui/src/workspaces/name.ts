/**
 * Workspace names, checked as the portal checks them (domain Validation.name): they become
 * Kubernetes namespaces and preview host names, so they are DNS labels of at most 40 characters.
 */
export const MAX_NAME_LENGTH = 40;
const NAME = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** null when valid, otherwise what to fix, in words. */
export function validateWorkspaceName(name: string): string | null {
  if (name.length === 0) {
    return 'Enter a name.';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `Use at most ${MAX_NAME_LENGTH} characters (this one has ${name.length}).`;
  }
  if (!/^[a-z]/.test(name)) {
    return 'Start with a lower-case letter.';
  }
  if (/[^a-z0-9-]/.test(name)) {
    return "Use only lower-case letters, digits and '-'.";
  }
  if (name.endsWith('-')) {
    return "Do not end with '-'.";
  }
  return NAME.test(name) ? null : "Use only lower-case letters, digits and '-'.";
}

/** A valid name to offer, from the blueprint's name: "Python 3 sample" → "python-3-sample". */
export function suggestName(blueprintName: string): string {
  const slug = blueprintName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return slug || 'workspace';
}
