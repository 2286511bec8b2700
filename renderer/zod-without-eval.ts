import { z } from 'zod';

// Zod compiles fast parsers with `new Function`, which script-src 'self' forbids; even its probe for eval
// is reported as a CSP violation. The choice is made when a schema is built, so main.tsx imports this first.
z.config({ jitless: true });
