// Stylesheets imported by the flows' pages are bundled by Vite into the page's chunk; to TypeScript they are nothing.
declare module '*.css';
