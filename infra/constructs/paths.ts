/** Filesystem anchors of the CDK app, resolved from this file so that they hold whatever the working directory is. */
import { fileURLToPath } from 'node:url';

/** Root of the repository: manifest paths (function entries, ASL files, console assets) are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
