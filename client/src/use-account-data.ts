// Server data read for the signed-in account, re-read when the ledger moves (session revision) or the account
// changes. Data belongs to the account it was read for: another account's data is never shown, even for a moment.
import { useEffect, useState } from "react";
import { describeError } from "./chain.ts";
import { useSession } from "./session.tsx";

export function useAccountData<T>(
  load: () => Promise<T>,
  opts: { enabled?: boolean; deps?: readonly unknown[] } = {},
): { data: T | null; error: string | null } {
  const { revision, ready, account } = useSession();
  const enabled = ready && opts.enabled !== false;
  const [loaded, setLoaded] = useState<{ owner: string | undefined; data: T } | null>(null);
  const data = loaded && loaded.owner === account?.address ? loaded.data : null;
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    if (!enabled) return;
    const owner = account?.address;
    load()
      .then((d) => {
        if (cancelled) return;
        setLoaded({ owner, data: d });
        setError(null);
      })
      .catch((e) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
    // `load` is a new closure on every render; what it reads is in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision, enabled, account?.address, ...(opts.deps ?? [])]);
  return { data, error };
}
