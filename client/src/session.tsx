// The signed-in user, standing in for a wallet: the local node's unlocked development accounts (labelled with
// the demo companies), or an injected wallet when the browser has one. Sign-in is Sign-In with Ethereum.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Address } from "viem";
import type { Wallet } from "./chain.ts";
import { createSiweMessage } from "viem/siwe";
import { DEMO_COMPANIES, DEMO_STAFF } from "../../common/demo-consortium.ts";
import type { RoleName } from "../../common/roles.ts";
import { ApiError, api, type Person, type Session } from "./api.ts";
import { describeError, type ChainClient, type Member, type WalletKind } from "./chain.ts";
import type { ReceivableSource } from "./data.ts";
import { createInsurance, createLoans, createMarket, type Insurance, type Loans, type Market } from "./financing.ts";

export interface AccountOption {
  address: Address;
  kind: WalletKind;
  /** Index in the node's eth_accounts (development accounts only). */
  index?: number;
  company?: { name: string; taxId: string };
}

/** Settled states carry the (lower-case) address they were settled for. */
export type SignIn =
  | { state: "signed-out" }
  | { state: "signing-in" }
  | { state: "signed-in"; roles: string[]; address: string; member: string; person: Person | null }
  | { state: "unavailable"; address: string }
  | { state: "error"; message: string; address: string };

export interface SessionValue {
  chain: ChainClient;
  source: ReceivableSource;
  /** The factoring market, when the deployment has one. */
  market: Market | null;
  /** Credit insurance, when the deployment has it. */
  insurance: Insurance | null;
  /** Receivable-backed loans, when the deployment has them. */
  loans: Loans | null;
  accounts: AccountOption[];
  account: AccountOption | null;
  member: Member | null;
  /** The member the signed-in person acts for: its company for a staff key, else the account itself. */
  actingFor: Address | null;
  roles: RoleName[];
  wallet: Wallet | null;
  signIn: SignIn;
  /** False while a sign-in for the selected account is in flight (reads would still use the old session). */
  ready: boolean;
  /** Registry membership of every development account (labels for the picker, buyers for the form). */
  memberships: Map<string, Member>;
  tokenSymbol: string;
  /** The selected account is the registry's operator. */
  isOperator: boolean;
  selectAccount(address: Address | null, kind?: WalletKind): void;
  connectInjected(): Promise<void>;
  retrySignIn(): void;
  /** An API call answered 401 while an account is selected (e.g. the session expired): sign in again. */
  reportUnauthorized(): void;
  /** Bumped whenever data may have changed (server stream, poll, or our own transaction). */
  revision: number;
  refresh(): void;
  companyOf(address: string | null | undefined): { name: string; taxId: string } | undefined;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside <SessionProvider>");
  return value;
}

const POLL_INTERVAL_MS = 4_000;
/** While the event stream is open, poll only every this many intervals. */
const STREAM_POLL_EVERY = 5;
const STORAGE_KEY = "receivables-ledger.account";
/** At most one automatic re-sign-in per this interval (avoids loops when the server refuses). */
const RESIGN_IN_INTERVAL_MS = 15_000;

export function SessionProvider(props: { chain: ChainClient; source: ReceivableSource; devAccounts: Address[]; children: ReactNode }) {
  const { chain, source } = props;
  const devOptions = useMemo<AccountOption[]>(
    () => props.devAccounts.map((address, index) => ({ address, kind: "dev", index, company: DEMO_COMPANIES[index] ?? demoStaffLabel(index) })),
    [props.devAccounts],
  );
  const [injected, setInjected] = useState<AccountOption[]>([]);
  const accounts = useMemo(() => [...devOptions, ...injected], [devOptions, injected]);
  const [selected, setSelected] = useState<{ address: Address; kind: WalletKind } | null>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as { address: Address; kind: WalletKind } | null;
      return saved && saved.kind === "dev" ? saved : null;
    } catch {
      return null;
    }
  });
  const account = accounts.find((a) => selected && a.kind === selected.kind && a.address.toLowerCase() === selected.address.toLowerCase()) ?? null;
  const [member, setMember] = useState<Member | null>(null);
  const [signIn, setSignIn] = useState<SignIn>({ state: "signed-out" });
  const [signInAttempt, setSignInAttempt] = useState(0);
  const [revision, setRevision] = useState(0);
  const [memberships, setMemberships] = useState<Map<string, Member>>(new Map());
  const [tokenSymbol, setTokenSymbol] = useState("");
  const [operator, setOperator] = useState<string | null>(null);
  const refresh = useCallback(() => setRevision((r) => r + 1), []);

  const wallet = useMemo(() => (account ? chain.wallet(account.address, account.kind) : null), [account?.address, account?.kind, chain]);

  const companies = useMemo(() => {
    const m = new Map<string, { name: string; taxId: string }>();
    for (const a of devOptions) if (a.company) m.set(a.address.toLowerCase(), a.company);
    // The consortium's own contracts, so locks and transfers by a module read as what they are.
    const contractNames: Record<string, string> = {
      FactoringMarket: "Factoring market",
      PledgeLoans: "Pledge-loan module",
      CreditInsurance: "Credit-insurance module",
      ReceivableLedger: "Receivable ledger",
    };
    for (const [key, name] of Object.entries(contractNames)) {
      const addr = (chain.config.contracts as Record<string, string | undefined>)[key];
      if (addr) m.set(addr.toLowerCase(), { name, taxId: "" });
    }
    return m;
  }, [devOptions, chain]);
  // Company profiles from the server (off-chain records), fetched once per address after sign-in; the demo
  // labels of the development accounts stand in until (or unless) the server has a profile.
  const [profiles, setProfiles] = useState<Map<string, { name: string; taxId: string } | null>>(new Map());
  const requested = useRef(new Set<string>());
  const signedIn = signIn.state === "signed-in";
  const companyOf = useCallback(
    (address: string | null | undefined) => {
      if (!address) return undefined;
      const key = address.toLowerCase();
      if (source.kind === "api" && signedIn && !requested.current.has(key)) {
        requested.current.add(key);
        setTimeout(() => {
          fetch(`/api/companies/${key}`, { credentials: "same-origin", headers: { accept: "application/json" } })
            .then(async (res) => (res.ok ? ((await res.json()) as { legalName: string; taxId: string }) : null))
            .then((c) => setProfiles((m) => new Map(m).set(key, c ? { name: c.legalName, taxId: c.taxId } : null)))
            .catch(() => undefined);
        }, 0);
      }
      return profiles.get(key) ?? companies.get(key);
    },
    [companies, profiles, signedIn, source.kind],
  );

  const selectAccount = useCallback((address: Address | null, kind: WalletKind = "dev") => {
    const next = address ? { address, kind } : null;
    setSelected(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // storage unavailable: selection lasts for this page only
    }
  }, []);

  const connectInjected = useCallback(async () => {
    const addrs = await chain.injectedAccounts();
    setInjected(addrs.map((address) => ({ address, kind: "injected" })));
    if (addrs[0]) selectAccount(addrs[0], "injected");
  }, [chain, selectAccount]);

  // Follow account switches made in the wallet itself.
  useEffect(() => {
    const eth = window.ethereum;
    if (!eth || injected.length === 0) return;
    const onAccounts = (addrs: Address[]) => {
      setInjected(addrs.map((address) => ({ address, kind: "injected" })));
      if (selected?.kind === "injected") selectAccount(addrs[0] ?? null, "injected");
    };
    eth.on("accountsChanged", onAccounts);
    return () => eth.removeListener("accountsChanged", onAccounts);
  }, [injected.length, selected?.kind, selectAccount]);

  // Roles from the member registry (the chain is the authority; the server's session echoes them). Read once
  // signed in: the server's JSON-RPC proxy answers contract reads to sessions only.
  const signedInAs = signIn.state === "signed-in" ? signIn.address : null;
  // A staff key acts for its member: the member's roles decide what the person sees.
  const actingFor = signIn.state === "signed-in" ? signIn.member : null;
  useEffect(() => {
    let cancelled = false;
    setMember(null);
    if (!account || signedInAs !== account.address.toLowerCase() || !actingFor) return;
    chain
      .member(actingFor as Address)
      .then((m) => !cancelled && setMember(m))
      .catch(() => !cancelled && setMember({ roles: [], expiresAt: 0, suspended: false, active: false }));
    return () => {
      cancelled = true;
    };
  }, [account?.address, chain, signedInAs, actingFor]);

  useEffect(() => {
    let cancelled = false;
    if (!signedInAs) return;
    chain
      .tokenSymbol()
      .then((sym) => !cancelled && setTokenSymbol(sym))
      .catch(() => undefined);
    chain
      .operator()
      .then((op) => !cancelled && setOperator(op.toLowerCase()))
      .catch(() => undefined);
    Promise.all(devOptions.map(async (a) => [a.address.toLowerCase(), await chain.member(a.address)] as const))
      .then((rows) => !cancelled && setMemberships(new Map(rows)))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [chain, devOptions, account?.address, signedInAs]);

  // Sign-In with Ethereum against the server, whenever the account changes.
  const signingFor = useRef<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    if (!account || !wallet) {
      setSignIn({ state: "signed-out" });
      if (signingFor.current) api.logout().catch(() => undefined);
      signingFor.current = null;
      return;
    }
    signingFor.current = account.address;
    setSignIn({ state: "signing-in" });
    (async () => {
      try {
        const me = await api.me().catch(() => null);
        if (me && me.address?.toLowerCase() === account.address.toLowerCase()) {
          if (!cancelled) setSignIn(signedInState(me, account.address));
          refresh();
          return;
        }
        const { nonce } = await api.nonce();
        const message = createSiweMessage({
          address: account.address,
          chainId: chain.config.chainId,
          domain: window.location.host,
          uri: window.location.origin,
          nonce,
          version: "1",
          statement: "Sign in to the Receivables Ledger.",
          issuedAt: new Date(),
        });
        const signature = await wallet.signMessage({ account: account.address, message });
        const session = await api.login(message, signature);
        if (!cancelled) setSignIn(signedInState(session, account.address));
        refresh();
      } catch (e) {
        if (cancelled) return;
        refresh();
        const address = account.address.toLowerCase();
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setSignIn({ state: "unavailable", address });
        else setSignIn({ state: "error", message: describeError(e), address });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [account?.address, account?.kind, wallet, chain, signInAttempt]);

  // Live updates: the server's event stream when it has one; polling as a fallback (fast while no stream is
  // open, slow as a safety net while one is).
  useEffect(() => {
    let stream: EventSource | null = null;
    let streamOpen = false;
    if (source.kind === "api" && typeof EventSource !== "undefined") {
      stream = new EventSource("/api/stream");
      stream.onopen = () => (streamOpen = true);
      // The server names its events: block, receivables (ids that changed), reorg.
      for (const name of ["block", "receivables", "reorg", "message"]) stream.addEventListener(name, () => refresh());
      stream.onerror = () => {
        streamOpen = false;
        stream?.close();
        stream = null;
      };
    }
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      if (!streamOpen || tick % STREAM_POLL_EVERY === 0) refresh();
    }, POLL_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      stream?.close();
    };
    // The stream needs a session: reconnect after each sign-in.
  }, [source, refresh, signIn.state]);

  const lastReSignIn = useRef(0);
  const reportUnauthorized = useCallback(() => {
    if (!account || signIn.state === "signing-in" || Date.now() - lastReSignIn.current < RESIGN_IN_INTERVAL_MS) return;
    lastReSignIn.current = Date.now();
    setSignInAttempt((n) => n + 1);
  }, [account, signIn.state]);

  const market = useMemo(() => createMarket(chain), [chain]);
  const insurance = useMemo(() => createInsurance(chain), [chain]);
  const loans = useMemo(() => createLoans(chain), [chain]);

  const value: SessionValue = {
    chain,
    source,
    market,
    insurance,
    loans,
    accounts,
    account,
    member,
    actingFor: account
      ? ((signIn.state === "signed-in" && signIn.address === account.address.toLowerCase() ? signIn.member : account.address) as Address)
      : null,
    roles: member?.active ? member.roles : [],
    wallet,
    signIn,
    ready: !account || ("address" in signIn && signIn.address === account.address.toLowerCase()),
    memberships,
    tokenSymbol,
    isOperator: !!account && (signIn.state === "signed-in" ? signIn.member : account.address.toLowerCase()) === operator,
    selectAccount,
    connectInjected,
    retrySignIn: () => setSignInAttempt((n) => n + 1),
    reportUnauthorized,
    revision,
    refresh,
    companyOf,
  };
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

function signedInState(s: Session, address: string): SignIn {
  return { state: "signed-in", roles: s.roles ?? [], address: address.toLowerCase(), member: (s.member ?? address).toLowerCase(), person: s.person ?? null };
}

/** Picker label of a demo staff key: the person and the company it works for. */
function demoStaffLabel(index: number): { name: string; taxId: string } | undefined {
  const p = DEMO_STAFF.find((x) => x.index === index);
  const company = p && DEMO_COMPANIES[p.member];
  return p && company ? { name: `${p.name} (${company.name})`, taxId: company.taxId } : undefined;
}
