/** Switching the session's school from a control: busy while the server answers, errors as a toast. */
import { App } from 'antd';
import { useCallback, useState } from 'react';
import { useSession } from './session-context.tsx';

export function useSwitchSchool(): { busy: boolean; switchTo: (schoolId: string) => Promise<void> } {
  const { switchSchool } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const switchTo = useCallback(
    async (schoolId: string) => {
      setBusy(true);
      try {
        await switchSchool(schoolId);
      } catch (error) {
        void message.error(error instanceof Error ? error.message : String(error));
      } finally {
        setBusy(false);
      }
    },
    [switchSchool, message],
  );
  return { busy, switchTo };
}
