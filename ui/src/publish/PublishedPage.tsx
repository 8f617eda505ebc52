import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app/context';
import { useDocumentTitle } from '../app/hooks';
import { Link } from '../app/router';
import { EmptyState, Spinner } from '../components/common';
import { openPublished } from './published';

/** `/published/<requestId>`: trades a fresh ticket for the published app and goes there. */
export function PublishedPage({ requestId }: { requestId: string }) {
  const { api } = useApp();
  const [failure, setFailure] = useState<string | null>(null);
  const started = useRef(false);
  useDocumentTitle('Published app');

  // Once per visit: a second ticket would be wasted, and this page is being replaced anyway.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void openPublished(api, requestId).then((outcome) => {
      if (outcome.kind === 'failed') setFailure(outcome.message);
    });
  }, [api, requestId]);

  if (failure === null) return <Spinner label="Opening the published app…" />;
  return (
    <EmptyState title="The published app could not be opened">
      <p role="alert">{failure}</p>
      <p><Link href="/workspaces">Go to your workspaces</Link></p>
    </EmptyState>
  );
}
