import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Member } from '../api/types';
import type { Session } from '../auth/session';

export interface AppContextValue {
  api: ApiClient;
  session: Session;
  me: Member;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) {
    throw new Error('useApp outside the signed-in application');
  }
  return value;
}
