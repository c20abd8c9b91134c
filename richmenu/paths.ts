import { fileURLToPath } from 'node:url';

/** The committed picture: written by `npm run richmenu:render`, uploaded by `npm run richmenu:install`. */
export const DEFAULT_IMAGE = fileURLToPath(new URL('./richmenu.png', import.meta.url));
