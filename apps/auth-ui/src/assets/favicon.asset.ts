/** The pages' icon (a key on the product colour), served as SVG under a content-hashed name. */
export const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">' +
  '<rect width="64" height="64" rx="14" fill="#0b5cad"/>' +
  '<path fill="#fff" d="M32 12a12 12 0 0 0-5 22.9V49a5 5 0 0 0 10 0v-2h4v-6h-4v-6.1A12 12 0 0 0 32 12zm0 7a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9z"/>' +
  '</svg>';
