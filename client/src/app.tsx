// The application shell: loads the network configuration, connects to the chain, and lays out the header
// (account picker, sign-in state) and the routed page.
import { Fragment, Suspense, lazy, useEffect, useState } from "react";
import type { Address } from "viem";
import { loadConfig } from "./config.ts";
import { createChainClient, describeError, type ChainClient, type Member } from "./chain.ts";
import { chooseSource, type ReceivableSource } from "./data.ts";
import { SessionProvider, useSession } from "./session.tsx";
import { useRoute } from "./router.ts";
import { NOT_FOUND_TITLE, ROUTES, navFor } from "./routes.tsx";
import { Notice, Spinner } from "./components/bits.tsx";
import { PersonLine } from "./components/staff-panel.tsx";
import { money, shortHex } from "./format.ts";
import { LanguageSwitch } from "./i18n/language-switch.tsx";
import { i18n, useTranslation } from "./i18n/index.ts";

// The bell (and the notifications API it calls) is its own chunk: nothing of it in the first route's JavaScript.
const NotificationBell = lazy(() => import("./components/notification-bell.tsx").then((m) => ({ default: m.NotificationBell })));

type Boot =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; chain: ChainClient; source: ReceivableSource; devAccounts: Address[] };

export function App() {
  const { t } = useTranslation();
  const [boot, setBoot] = useState<Boot>({ state: "loading" });
  useEffect(() => {
    (async () => {
      const config = await loadConfig();
      const chain = createChainClient(config);
      const [source, devAccounts] = await Promise.all([chooseSource(chain), chain.devAccounts().catch(() => [] as Address[])]);
      setBoot({ state: "ready", chain, source, devAccounts });
    })().catch((e) => setBoot({ state: "error", message: describeError(e) }));
  }, []);

  if (boot.state === "loading")
    return (
      <div className="boot">
        <Spinner label={t("shell.connecting")} />
      </div>
    );
  if (boot.state === "error")
    return (
      <div className="boot">
        <Notice tone="error">{t("shell.connectError", { error: boot.message })}</Notice>
      </div>
    );
  return (
    <SessionProvider chain={boot.chain} source={boot.source} devAccounts={boot.devAccounts}>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { t, i18n: lang } = useTranslation();
  const route = useRoute(ROUTES);
  const page = route.route?.page ?? "not-found";
  useEffect(() => {
    document.title = `${t(route.route?.title ?? NOT_FOUND_TITLE)} · ${t("app.name")}`;
  }, [page, lang.language]);
  const { roles, source, isOperator, market, insurance, loans, account, signIn } = useSession();
  const person = signIn.state !== "signed-in" ? null : (signIn.person ?? { administrator: signIn.address === signIn.member, deskRoles: [] });
  const navCtx = { roles, isOperator, market: !!market, loans: !!loans, insurance: !!insurance, api: source.kind === "api", person };
  const current = route.route?.section ?? page;
  const navItems = navFor(navCtx).map((r) => ({
    href: `#${r.path}`,
    label: t(r.nav.labelFor?.(navCtx) ?? r.nav.label),
    active: r.page === current,
  }));
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <a className="brand" href="#/receivables">
            <span className="brand-mark" aria-hidden="true" />
            {t("app.name")}
          </a>
          <nav aria-label={t("nav.mainLabel")}>
            <ul className="nav">
              {navItems.map((n) => (
                <li key={n.href}>
                  <a href={n.href} aria-current={n.active ? "page" : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <AccountPicker />
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {source.kind === "chain" && <Notice tone="warn">{t("shell.chainOnly")}</Notice>}
        {/* Keyed by the account: switching accounts remounts the page, so no screen, form or answer of the
            previous account stays on show (issue 9, item 21). */}
        <Fragment key={account?.address.toLowerCase() ?? "none"}>
          <Suspense fallback={<Spinner label={t("common.loading")} />}>
            {route.route ? route.route.render(route.params) : <Notice tone="warn">{t("app.notFound", { path: route.path })}</Notice>}
          </Suspense>
        </Fragment>
      </main>
      <footer className="footer">
        <Footer />
      </footer>
    </>
  );
}

function Footer() {
  const { t } = useTranslation();
  const { chain } = useSession();
  const [block, setBlock] = useState<bigint | null>(null);
  const { revision } = useSession();
  useEffect(() => {
    chain.publicClient
      .getBlockNumber()
      .then(setBlock)
      .catch(() => setBlock(null));
  }, [chain, revision]);
  return (
    <p>
      {t("shell.footerChain", { chainId: chain.config.chainId })}
      {block !== null && t("shell.footerBlock", { block: block.toString() })}
      {t("shell.footerLedger")} <span className="mono">{shortHex(chain.config.contracts.ReceivableLedger)}</span>
    </p>
  );
}

function AccountPicker() {
  const { accounts, account, selectAccount, connectInjected, member, signIn, retrySignIn, chain, revision, memberships, tokenSymbol, isOperator, source } =
    useSession();
  const { t } = useTranslation();
  const [balance, setBalance] = useState<bigint | null>(null);
  const [injectError, setInjectError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setBalance(null);
    if (!account) return;
    chain
      .balance(account.address)
      .then((b) => !cancelled && setBalance(b))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [account?.address, chain, revision]);

  const value = account ? `${account.kind}:${account.address}` : "";
  return (
    <div className="account">
      <div className="account-row">
        {source.kind === "api" && signIn.state === "signed-in" && (
          <Suspense fallback={null}>
            <NotificationBell key={signIn.address} />
          </Suspense>
        )}
        <LanguageSwitch />
        <label className="account-select">
          <span className="account-label">{t("shell.actingAs")}</span>
          <select
            value={value}
            onChange={(e) => {
              const [kind, address] = e.target.value.split(":");
              selectAccount((address as Address) || null, kind === "injected" ? "injected" : "dev");
            }}
            name="account"
            aria-describedby="account-status"
          >
            <option value="">{t("shell.chooseAccount")}</option>
            <optgroup label={t("shell.devAccounts")}>
              {accounts
                .filter((a) => a.kind === "dev")
                .map((a) => (
                  <option key={a.address} value={`dev:${a.address}`}>
                    {a.company ? a.company.name : t("shell.accountN", { n: a.index })}
                    {roleLabel(memberships.get(a.address.toLowerCase()), a.index === 0)} — {shortHex(a.address)}
                  </option>
                ))}
            </optgroup>
            {accounts.some((a) => a.kind === "injected") && (
              <optgroup label={t("shell.browserWallet")}>
                {accounts
                  .filter((a) => a.kind === "injected")
                  .map((a) => (
                    <option key={a.address} value={`injected:${a.address}`}>
                      {t("shell.wallet")} — {shortHex(a.address)}
                    </option>
                  ))}
              </optgroup>
            )}
          </select>
        </label>
        {typeof window !== "undefined" && window.ethereum && !accounts.some((a) => a.kind === "injected") && (
          <button type="button" className="small" onClick={() => connectInjected().catch((e) => setInjectError(describeError(e)))}>
            {t("shell.useBrowserWallet")}
          </button>
        )}
      </div>
      <div id="account-status" className="account-status" aria-live="polite">
        {account && (
          <>
            <span className="roles">
              {isOperator && <span className="role-chip">{t("role.Operator")}</span>}
              {member === null ? (
                <span className="muted">…</span>
              ) : member.roles.length ? (
                member.roles.map((r) => (
                  <span key={r} className="role-chip" data-role={r}>
                    {t(`role.${r}`, { defaultValue: r })}
                  </span>
                ))
              ) : isOperator ? null : (
                <span className="muted not-member">{t("shell.notMember")}</span>
              )}
              {member?.suspended && <span className="role-chip danger">{t("shell.suspended")}</span>}
            </span>
            {balance !== null && (
              <span className="balance" title={t("shell.balanceTitle")}>
                {money(balance)} {tokenSymbol}
              </span>
            )}
            <SignInState state={signIn} retry={retrySignIn} />
            <PersonLine />
          </>
        )}
        {injectError && <span className="error-text">{injectError}</span>}
      </div>
    </div>
  );
}

function roleLabel(m: Member | undefined, isOperatorIndex: boolean): string {
  if (m && m.roles.length)
    return ` · ${m.roles.map((r) => i18n.t(`role.${r}`, { defaultValue: r })).join(i18n.t("staff.roleSeparator"))}${m.active ? "" : ` ${i18n.t("shell.inactive")}`}`;
  return isOperatorIndex ? ` · ${i18n.t("role.Operator")}` : "";
}

function SignInState(props: { state: ReturnType<typeof useSession>["signIn"]; retry(): void }) {
  const { t } = useTranslation();
  const s = props.state;
  if (s.state === "signing-in")
    return (
      <span className="signin muted" data-signin={s.state}>
        {t("shell.signingIn")}
      </span>
    );
  if (s.state === "signed-in")
    return (
      <span className="signin ok" data-signin={s.state} data-signin-for={s.address} title={t("shell.signedInTitle")}>
        {t("shell.signedIn")}
      </span>
    );
  if (s.state === "unavailable")
    return (
      <span className="signin muted" data-signin={s.state} data-signin-for={s.address} title={t("shell.publicReadTitle")}>
        {t("shell.publicRead")}
      </span>
    );
  if (s.state === "error")
    return (
      <button type="button" className="link signin error-text" data-signin={s.state} data-signin-for={s.address} title={s.message} onClick={props.retry}>
        {t("shell.signInFailed")}
      </button>
    );
  return null;
}
