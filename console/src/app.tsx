/**
 * The console shell: configuration, sign-in, the language, the route (`/console/agent`, `/console/supervisor`,
 * `/console/admin/knowledge`, or the same as `#/agent`), the signed-in user's profile and the agent floor's WebSocket,
 * shared by every screen.
 */
import type { ComponentType } from 'preact';
import { useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, createApi, errorMessage, loadConfig } from './api.ts';
import { endSession, hasRole, loadSession, saveSession, watchExpiry } from './auth.ts';
import { Header } from './header.tsx';
import { I18nContext, initialLang, rememberLang, translator, type I18n, type Lang } from './i18n.ts';
import { LiveSocket, socketUrl, type LiveStatus } from './live.ts';
import { SignIn } from './sign-in.tsx';
import { Supervisor } from './supervisor.tsx';
import type { AgentProfile, ConsoleConfig, FloorEvent, Session } from './types.ts';
import { AppContext, Toasts, type AppServices, type FloorBus, type Toast, type ToastKind } from './ui.tsx';
import { Workspace } from './workspace/workspace.tsx';

export type Route = 'agent' | 'supervisor' | 'dashboard' | 'knowledge' | 'flows' | 'routing' | 'channels' | 'customers' | 'finance'; // finance: the Finance view; customers: customer identity

/** Screens under /console/admin/ (the first one is what /console/admin opens). */
const ADMIN_ROUTES: readonly Route[] = ['knowledge', 'flows', 'routing', 'channels', 'customers'];

/** The path of a route under /console/ (the administration screens live under admin/). */
export function routePath(route: Route): string {
  return ADMIN_ROUTES.includes(route) ? `admin/${route}` : route;
}

function routeOf(path: string): Route | undefined {
  const [first, second] = path.replace(/^\/+/, '').split('/');
  if (first === 'agent' || first === 'supervisor' || first === 'dashboard' || first === 'finance') return first; // finance: the Finance view
  if (first === 'admin') return second === undefined || second === '' ? 'knowledge' : ADMIN_ROUTES.find((r) => r === second);
  return undefined;
}

function parseRoute(): Route | undefined {
  const hash = location.hash.replace(/^#\/?/, '');
  return (hash ? routeOf(hash) : undefined) ?? routeOf(location.pathname.replace(/^\/console\/?/, ''));
}

/** Screens loaded on first use, so the agents' console stays small: each module exports `Screen`. */
const LAZY_SCREENS: Partial<Record<Route, () => Promise<{ Screen: ComponentType }>>> = {
  dashboard: () => import('./dashboard/dashboard.tsx'),
  knowledge: () => import('./admin/knowledge.tsx'),
  flows: () => import('./admin/flows.tsx'),
  routing: () => import('./admin/routing.tsx'),
  channels: () => import('./admin/channels.tsx'),
  // --- customers: customer identity (search, merge, split) ---
  customers: () => import('./admin/customers.tsx'),
  // --- finance: the Finance view ---
  finance: () => import('./finance/finance.tsx'),
};

function LazyScreen({ route }: { route: Route }) {
  const [screen, setScreen] = useState<{ route: Route; Screen: ComponentType }>();
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    setFailed(undefined);
    LAZY_SCREENS[route]?.().then(
      (mod) => setScreen({ route, Screen: mod.Screen }),
      (error: unknown) => setFailed(errorMessage(error)),
    );
  }, [route]);
  const { t } = useContext(I18nContext);
  if (failed) return <div class="center-screen error-text">{t('app.configFailed', { message: failed })}</div>;
  return screen?.route === route ? <screen.Screen /> : <div class="center-screen">{t('app.loading')}</div>;
}

export function allowedRoutes(session: Session | undefined): Route[] {
  const routes: Route[] = [];
  if (hasRole(session?.user, 'agent')) routes.push('agent');
  // Supervisors watch the floor and the dashboard, and may read the administration screens; admins change them.
  if (hasRole(session?.user, 'supervisor', 'admin')) routes.push('supervisor', 'dashboard', 'knowledge', 'flows', 'routing', 'channels');
  // --- customers: customer identity, for supervisors and admins ---
  if (hasRole(session?.user, 'supervisor', 'admin')) routes.push('customers');
  // --- finance: the Finance view, for finance and admins (a finance-only user gets this route alone, so it is their default) ---
  if (hasRole(session?.user, 'finance', 'admin')) routes.push('finance');
  return routes;
}

let toastCounter = 0;

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo<I18n>(
    () => ({
      lang,
      t: translator(lang),
      setLang: (next) => {
        rememberLang(next);
        setLangState(next);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.name');
  }, [lang, i18n]);

  const [config, setConfig] = useState<ConsoleConfig>();
  const [configError, setConfigError] = useState<string>();
  const fetchConfig = useCallback(() => {
    setConfigError(undefined);
    loadConfig().then(setConfig, (error: unknown) => setConfigError(errorMessage(error)));
  }, []);
  useEffect(fetchConfig, [fetchConfig]);

  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [signInNotice, setSignInNotice] = useState<string>();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (kind: ToastKind, text: string) => {
      const id = ++toastCounter;
      setToasts((list) => [...list.slice(-3), { id, kind, text }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4500);
    },
    [dismiss],
  );

  const signOut = useCallback((notice?: string) => {
    saveSession(undefined);
    setSession(undefined);
    setSignInNotice(notice);
  }, []);
  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSignInNotice(undefined);
    setSession(next);
  }, []);

  // The token expires: back to the sign-in screen, saying why.
  const tRef = useRef(i18n.t);
  tRef.current = i18n.t;
  useEffect(() => {
    if (!session?.expiresAt) return;
    // Cognito: renewed with the refresh token shortly before it expires (auth.ts watchExpiry); signed out otherwise.
    return watchExpiry(config, session, signIn, () => signOut(tRef.current('signIn.expired')));
  }, [config, session, signIn, signOut]);

  const tokenRef = useRef(session?.token);
  tokenRef.current = session?.token;
  const api = useMemo(() => (config ? createApi(config, () => tokenRef.current, () => signOut(tRef.current('signIn.expired'))) : undefined), [config, signOut]);

  // The signed-in user's agent profile (presence, capacity).
  const [me, setMeState] = useState<AgentProfile>();
  const setMe = useCallback((update: (me: AgentProfile | undefined) => AgentProfile | undefined) => setMeState(update), []);
  useEffect(() => {
    setMeState(undefined);
    if (!session || !api) return;
    // --- finance: a finance-only user has no agent profile (the API would answer 403) ---
    if (!hasRole(session.user, 'agent', 'supervisor', 'admin')) return;
    api.get<AgentProfile>('/v1/agent/me').then(setMeState, (error: unknown) => {
      if (!(error instanceof ApiError && (error.status === 401 || error.status === 404))) toast('error', errorMessage(error));
    });
  }, [session, api, toast]);

  // The agent floor: one socket for every screen, fanned out to subscribers.
  const listeners = useRef(new Set<(event: FloorEvent) => void>());
  const reconnectListeners = useRef(new Set<() => void>());
  const floor = useMemo<FloorBus>(
    () => ({
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      onReconnect: (listener) => {
        reconnectListeners.current.add(listener);
        return () => reconnectListeners.current.delete(listener);
      },
    }),
    [],
  );
  const [floorStatus, setFloorStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    if (!session || !config) return;
    const socket = new LiveSocket<FloorEvent>(() => (tokenRef.current ? socketUrl(config.webSocketUrl, tokenRef.current) : undefined), {
      onEvent: (event) => listeners.current.forEach((listener) => listener(event)),
      onOpen: () => reconnectListeners.current.forEach((listener) => listener()),
      onStatus: setFloorStatus,
    }).start();
    return () => socket.stop();
  }, [session, config]);

  // The signed-in agent's own presence, changed elsewhere (another tab, inactivity, missed offers).
  useEffect(
    () =>
      floor.subscribe((event) => {
        if (event.type !== 'presence' || event.agentId !== session?.user.id) return;
        setMeState((current) => (current ? { ...current, presence: event.presence } : current));
        if (event.reason === 'inactive' || event.reason === 'missed_offers') toast('warning', tRef.current(event.reason === 'inactive' ? 'presence.setAway.inactive' : 'presence.setAway.missed_offers'));
      }),
    [floor, session, toast],
  );

  const routes = allowedRoutes(session);
  const [requested, setRequested] = useState<Route | undefined>(parseRoute);
  useEffect(() => {
    const onPop = () => setRequested(parseRoute());
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onPop);
    };
  }, []);
  const route: Route | undefined = requested && routes.includes(requested) ? requested : routes[0];
  const navigate = useCallback((next: Route) => {
    history.pushState(null, '', `/console/${routePath(next)}`);
    setRequested(next);
  }, []);
  // Before the screen shows (a layout effect, not a passive one): the address always names the screen on view.
  useLayoutEffect(() => {
    if (session && route && parseRoute() !== route) history.replaceState(null, '', `/console/${routePath(route)}`);
  }, [session, route]);

  const services = useMemo<AppServices | undefined>(
    () => (session && config && api ? { config, session, api, me, setMe, floor, floorStatus, toast } : undefined),
    [session, config, api, me, setMe, floor, floorStatus, toast],
  );

  let body;
  if (configError) {
    body = (
      <div class="center-screen">
        <p class="error-text">{i18n.t('app.configFailed', { message: configError })}</p>
        <button type="button" class="button" onClick={fetchConfig}>
          {i18n.t('app.retry')}
        </button>
      </div>
    );
  } else if (!config) {
    body = <div class="center-screen">{i18n.t('app.loading')}</div>;
  } else if (!services) {
    body = <SignIn config={config} onSignedIn={signIn} notice={signInNotice} />;
  } else {
    body = (
      <AppContext.Provider value={services}>
        <div class="shell">
          <Header route={route} routes={routes} navigate={navigate} signOut={() => endSession(config, () => signOut())} />
          <main class="main">{route === 'agent' ? <Workspace /> : route === 'supervisor' ? <Supervisor /> : route ? <LazyScreen route={route} /> : <div class="center-screen">{i18n.t('supervisor.forbidden')}</div>}</main>
        </div>
      </AppContext.Provider>
    );
  }
  return (
    <I18nContext.Provider value={i18n}>
      {body}
      <Toasts toasts={toasts} dismiss={dismiss} />
    </I18nContext.Provider>
  );
}
