/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

import 'vue-router'
declare module 'vue-router' {
  interface RouteMeta {
    /** Page title (Chinese), also used by the breadcrumb. */
    title?: string
    /** Permission code required to open the page, e.g. `org.institution.view`. */
    perm?: string
    /** Reachable without login. */
    public?: boolean
  }
}
