/**
 * The one-way layers of this repository, as `import-x/no-restricted-paths` zones. ARCHITECTURE.md
 * draws the same map; this file is what holds it: an import against an arrow here fails `npm run lint`.
 *
 * - domain/ is what both sides run (the IG's rules, NZ identifiers, SMART scopes, clinic time): it
 *   imports neither side, and neither side imports the other.
 * - The app goes app -> features -> shared (src/components, src/lib, src/styles, src/test); a feature
 *   never imports another feature.
 * - The server goes cli -> http -> (auth, appointments, demo) -> search -> storage -> database -> core;
 *   appointments use mail (the emails a write queues in its transaction), which sits on storage;
 *   seed (the demo data generator) stands alone. SERVER_MAY_IMPORT lists, for each folder, the folders it
 *   may import besides itself; everything else under server/ is out of bounds.
 */
import { readdirSync } from 'node:fs';

const SERVER_MAY_IMPORT = {
  cli: ['http', 'auth', 'appointments', 'demo', 'mail', 'seed', 'search', 'storage', 'database', 'core'],
  http: ['auth', 'appointments', 'mail', 'search', 'storage', 'core'],
  auth: ['seed', 'search', 'storage', 'database', 'core'],
  appointments: ['mail', 'search', 'storage', 'core'],
  // The emails appointment writes queue (in their transaction) and the background sender.
  mail: ['storage', 'database', 'core'],
  demo: ['seed', 'storage', 'core'],
  search: ['storage', 'core'],
  storage: ['database', 'core'],
  database: ['core'],
  core: [],
  seed: [],
};

const SHARED_SRC = ['components', 'lib', 'styles', 'test'];

const folders = (dir) =>
  readdirSync(new URL(`../${dir}`, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** `forTests`: a test beside its module may also use the HTTP-level suites' fixtures in server/test. */
function serverZones(forTests) {
  const all = Object.keys(SERVER_MAY_IMPORT);
  const unlisted = folders('server').filter((name) => name !== 'test' && !all.includes(name));
  if (unlisted.length > 0) throw new Error(`lint/layers.js: say what server/${unlisted.join(', server/')} may import.`);
  return Object.entries(SERVER_MAY_IMPORT).map(([folder, allowed]) => ({
    target: `./server/${folder}`,
    from: './server',
    except: [`./${folder}`, ...allowed.map((name) => `./${name}`), ...(forTests ? ['./test'] : [])],
    message: `server/${folder} may import only ${allowed.length ? allowed.map((name) => `server/${name}`).join(', ') : 'itself'} (and domain/): the server's layers point down.`,
  }));
}

function appZones() {
  const features = folders('src/features');
  return [
    ...SHARED_SRC.map((folder) => ({
      target: `./src/${folder}`,
      from: ['./src/features', './src/app'],
      message: `src/${folder} is shared: it never imports a feature or the app.`,
    })),
    { target: './src/features', from: './src/app', message: 'A feature never imports the app that composes it.' },
    ...features.map((feature) => ({
      target: `./src/features/${feature}`,
      from: './src/features',
      except: [`./${feature}`],
      message: `src/features/${feature} may not import another feature: compose them in src/app, or move what both need to src/components or src/lib.`,
    })),
  ];
}

export const layerZones = ({ forTests = false } = {}) => [
  {
    target: './domain',
    from: ['./src', './server', './e2e', './bench'],
    message: 'domain/ is what both sides run: it imports neither.',
  },
  {
    target: './src',
    from: ['./server', './e2e', './bench'],
    message: 'The browser app never imports the server (shared code lives in domain/).',
  },
  {
    target: './server',
    from: ['./src', './e2e', './bench'],
    message: 'The server never imports the browser app (shared code lives in domain/).',
  },
  ...serverZones(forTests),
  ...appZones(),
];
