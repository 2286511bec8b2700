import type { PatternRegex } from '../../electron/logs/compile-pattern.js';

/** A seeded generator (mulberry32): the same seed gives the same corpus on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fifty patterns an operator would write for nginx, syslog, the JVM, Go services and auth failures: plain words,
 * alternations, classes, anchors, optional parts and case-insensitive ones, as `grep -E` reads them too.
 */
export const REALISTIC_PATTERNS: readonly PatternRegex[] = [
  // nginx
  { regex: '" 5[0-9][0-9] ', ignoreCase: false },
  { regex: '" 404 ', ignoreCase: false },
  { regex: '" 429 ', ignoreCase: false },
  { regex: '"(POST|PUT|DELETE) /admin', ignoreCase: false },
  { regex: 'upstream timed out', ignoreCase: false },
  { regex: 'connect\\(\\) failed', ignoreCase: false },
  { regex: 'no live upstreams', ignoreCase: false },
  { regex: 'client intended to send too large body', ignoreCase: false },
  { regex: 'SSL_do_handshake\\(\\) failed', ignoreCase: false },
  { regex: '"[A-Z]+ [^ ]*\\.\\./', ignoreCase: false },
  // syslog / kernel
  { regex: 'kernel: .*Out of memory', ignoreCase: false },
  { regex: 'oom-kill(er)?', ignoreCase: false },
  { regex: 'segfault at [0-9a-f]+', ignoreCase: false },
  { regex: 'I/O error, dev sd[a-z]', ignoreCase: false },
  { regex: 'EXT4-fs error', ignoreCase: false },
  { regex: 'systemd\\[1\\]: .* failed', ignoreCase: false },
  { regex: 'CRON\\[[0-9]+\\]: \\(root\\)', ignoreCase: false },
  { regex: 'disk (full|quota exceeded)', ignoreCase: true },
  { regex: 'link is (down|not ready)', ignoreCase: false },
  { regex: 'NTP.*(unsynchroni[sz]ed|lost sync)', ignoreCase: false },
  // JVM
  { regex: 'java\\.lang\\.OutOfMemoryError', ignoreCase: false },
  { regex: 'java\\.lang\\.[A-Za-z]+Exception', ignoreCase: false },
  { regex: 'NullPointerException', ignoreCase: false },
  { regex: '^\\s+at [a-z]+\\.', ignoreCase: false },
  { regex: 'Caused by: ', ignoreCase: false },
  { regex: 'GC overhead limit exceeded', ignoreCase: false },
  { regex: 'Full GC \\([A-Za-z ]+\\)', ignoreCase: false },
  { regex: 'deadlock', ignoreCase: true },
  { regex: 'Connection refused', ignoreCase: false },
  { regex: 'HikariPool-[0-9]+ - Connection is not available', ignoreCase: false },
  // Go
  { regex: '^panic: ', ignoreCase: false },
  { regex: '^goroutine [0-9]+ \\[running\\]', ignoreCase: false },
  { regex: 'fatal error: (concurrent map|all goroutines are asleep)', ignoreCase: false },
  { regex: 'runtime error: (index out of range|invalid memory address)', ignoreCase: false },
  { regex: 'context deadline exceeded', ignoreCase: false },
  { regex: 'level=(error|fatal)', ignoreCase: false },
  { regex: 'http: TLS handshake error from [0-9.]+', ignoreCase: false },
  { regex: 'dial tcp [0-9.]+:[0-9]+: (i/o timeout|connect: connection refused)', ignoreCase: false },
  // auth
  { regex: 'Failed password for (invalid user )?[a-z0-9_]+ from [0-9.]+', ignoreCase: false },
  { regex: 'Invalid user [a-z0-9_]+ from', ignoreCase: false },
  { regex: 'authentication failure', ignoreCase: true },
  { regex: 'maximum authentication attempts exceeded', ignoreCase: false },
  { regex: 'sudo: .*COMMAND=', ignoreCase: false },
  { regex: 'Accepted (password|publickey) for root', ignoreCase: false },
  { regex: 'PAM [0-9]+ more authentication failures', ignoreCase: false },
  // general
  { regex: '\\b(ERROR|FATAL|CRITICAL)\\b', ignoreCase: false },
  { regex: '\\bWARN(ING)?\\b', ignoreCase: false },
  { regex: 'timeout after [0-9]+ ?ms', ignoreCase: false },
  { regex: 'exception', ignoreCase: true },
  { regex: 'retry(ing)? [0-9]+/[0-9]+', ignoreCase: false },
];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: () => number, below: number) => Math.floor(random() * below);
const ip = (random: () => number) => `10.${int(random, 256)}.${int(random, 256)}.${int(random, 256)}`;
const stamp = (i: number) =>
  `2026-12-03T13:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;

type LineMaker = (random: () => number, i: number) => string;

const nginx: LineMaker = (random, i) =>
  `${ip(random)} - - [03/Dec/2026:13:${String(i % 60).padStart(2, '0')}:00 +0000] "${pick(random, ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'])} ` +
  `/${pick(random, ['api/v1/items', 'static/app.js', 'admin/users', 'health', 'login'])}/${int(random, 9999)} HTTP/1.1" ` +
  `${random() < 0.03 ? pick(random, [404, 429, 500, 502, 503]) : pick(random, [200, 200, 200, 301, 304])} ${int(random, 50_000)}`;
const nginxError: LineMaker = (random) =>
  `2026/12/03 13:00:00 [error] 31#31: *${int(random, 99_999)} ${pick(random, [
    'upstream timed out (110: Connection timed out) while reading response header from upstream',
    'connect() failed (111: Connection refused) while connecting to upstream',
    'no live upstreams while connecting to upstream',
    'SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number)',
  ])}, client: ${ip(random)}`;
const syslog: LineMaker = (random, i) =>
  `Dec  3 13:${String(i % 60).padStart(2, '0')}:00 host-${int(random, 40)} ${pick(random, [
    `systemd[1]: Started Session ${int(random, 999)} of user admin.`,
    `kernel: e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex`,
    `dhclient[${int(random, 9999)}]: DHCPREQUEST for ${ip(random)} on eth0`,
    `systemd[1]: Started Session ${int(random, 999)} of user admin.`,
    `kernel: e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex`,
    `dhclient[${int(random, 9999)}]: DHCPREQUEST for ${ip(random)} on eth0`,
    `systemd[1]: Started Session ${int(random, 999)} of user admin.`,
    `dhclient[${int(random, 9999)}]: DHCPREQUEST for ${ip(random)} on eth0`,
    `kernel: [${int(random, 99_999)}.123] Out of memory: Killed process ${int(random, 65_000)} (java)`,
    `kernel: [${int(random, 99_999)}.456] oom-kill:constraint=CONSTRAINT_NONE`,
    `kernel: app[${int(random, 65_000)}]: segfault at ${int(random, 0xffffff).toString(16)} ip 00007f sp 00007ffd error 4`,
    'kernel: blk_update_request: I/O error, dev sdb, sector 2048',
    `systemd[1]: nginx.service: Main process exited, code=exited, status=1/FAILURE`,
    `systemd[1]: Started Session ${int(random, 999)} of user admin.`,
    `CRON[${int(random, 65_000)}]: (root) CMD (run-parts /etc/cron.hourly)`,
    `sshd[${int(random, 65_000)}]: Failed password for ${pick(random, ['invalid user ', ''])}${pick(random, ['root', 'admin', 'deploy', 'ubuntu'])} from ${ip(random)} port 22 ssh2`,
    `sshd[${int(random, 65_000)}]: Invalid user ${pick(random, ['oracle', 'test', 'pi'])} from ${ip(random)} port 4242`,
    `sshd[${int(random, 65_000)}]: Accepted publickey for ${pick(random, ['root', 'deploy'])} from ${ip(random)} port 22 ssh2`,
    `sshd[${int(random, 65_000)}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 rhost=${ip(random)}`,
    `sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart app`,
    `ntpd[${int(random, 9999)}]: NTP server lost sync`,
    `kernel: e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex`,
    `dhclient[${int(random, 9999)}]: DHCPREQUEST for ${ip(random)} on eth0`,
  ])}`;
const jvm: LineMaker = (random, i) =>
  random() < 0.04
    ? `${stamp(i)}.${String(i % 1000).padStart(3, '0')} ${pick(random, ['WARN', 'ERROR'])} ` +
      `[http-nio-8080-exec-${int(random, 200)}] ${pick(random, [
        'o.h.engine.jdbc.spi.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms.',
        'c.f.payments.Client - timeout after 3000 ms calling payments, retrying 2/5',
        'o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() threw java.lang.IllegalStateException: closed',
      ])}`
    : `${stamp(i)}.${String(i % 1000).padStart(3, '0')} ${pick(random, ['INFO', 'INFO', 'DEBUG'])} ` +
      `[http-nio-8080-exec-${int(random, 200)}] ${pick(random, [
        'c.f.orders.OrderService - order placed in 12 ms',
        'c.f.orders.OrderController - GET /orders/42 returned 200',
        'c.f.cache.Loader - cache refreshed (1204 entries)',
      ])}`;
const jvmTrace: LineMaker = (random) =>
  pick(random, [
    '\tat com.fleet.orders.OrderService.place(OrderService.java:88)',
    '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
    'Caused by: java.net.ConnectException: Connection refused',
    'java.lang.OutOfMemoryError: GC overhead limit exceeded',
    'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null',
    `[Full GC (Allocation Failure) ${int(random, 9999)}K->${int(random, 999)}K(${int(random, 99_999)}K), 0.41 secs]`,
  ]);
const go: LineMaker = (random, i) =>
  random() < 0.9
    ? pick(random, [
        `time="${stamp(i)}Z" level=info msg="request served" path=/v1/jobs duration=${int(random, 900)}ms`,
        `time="${stamp(i)}Z" level=info msg="job scheduled" id=${int(random, 1e6)}`,
      ])
    : pick(random, [
        `time="${stamp(i)}Z" level=warning msg="slow query" duration=${int(random, 9000)}ms`,
        `time="${stamp(i)}Z" level=error msg="upstream call failed" err="context deadline exceeded"`,
        `time="${stamp(i)}Z" level=error msg="dial tcp ${ip(random)}:5432: connect: connection refused"`,
        `http: TLS handshake error from ${ip(random)}:${int(random, 65_000)}: EOF`,
      ]);
const goPanic: LineMaker = (random) =>
  pick(random, [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    'panic: runtime error: index out of range [5] with length 3',
    `goroutine ${int(random, 999)} [running]:`,
    'fatal error: concurrent map writes',
    `main.(*Server).handle(0xc000${int(random, 0xffff).toString(16)}, 0x1)`,
  ]);

/** Kinds of line by weight: mostly ordinary traffic, with the rarer errors a pattern is written for. */
const MAKERS: ReadonlyArray<[LineMaker, number]> = [
  [nginx, 40],
  [jvm, 25],
  [go, 15],
  [syslog, 12],
  [nginxError, 0.5],
  [jvmTrace, 1],
  [goPanic, 0.2],
];
const TOTAL_WEIGHT = MAKERS.reduce((sum, [, weight]) => sum + weight, 0);

/** `count` log lines (about 90 characters each) mixed from nginx, syslog, JVM and Go services, from `seed`. */
export function realisticLines(count: number, seed = 13): string[] {
  const random = seededRandom(seed);
  const lines = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    let roll = random() * TOTAL_WEIGHT;
    let maker = MAKERS[0]![0];
    for (const [candidate, weight] of MAKERS) {
      roll -= weight;
      if (roll < 0) {
        maker = candidate;
        break;
      }
    }
    lines[i] = maker(random, i);
  }
  return lines;
}

/**
 * A line of `length` characters (the most the tailer keeps) that the literal search cannot skip: pieces of the
 * patterns' literals over and over, so most patterns must run on it in full.
 */
export function pathologicalLine(random: () => number, length = 10_000): string {
  const parts: string[] = [];
  let chars = 0;
  while (chars < length) {
    const part = pick(random, [
      ...['ERROR', 'WARN', 'exception', 'level=', 'retry', 'java.lang.', 'at ', '" 5', 'timeout after '],
      ...['panic', 'Caused by', '0123', 'x', ' ', ' ', ' '],
    ]);
    parts.push(part);
    chars += part.length;
  }
  return parts.join('').slice(0, length);
}

/**
 * How many lines each pattern matches, by a plain loop of V8 RegExp: an engine independent of the agent's. Holds for
 * these patterns on these ASCII lines only (RE2 and V8 read `\b`, `\s` and classes alike there).
 */
export function referenceCounts(patterns: readonly PatternRegex[], lines: readonly string[]): number[] {
  return patterns.map(({ regex, ignoreCase }) => {
    const compiled = new RegExp(regex, ignoreCase ? 'i' : '');
    let count = 0;
    for (const line of lines) if (compiled.test(line)) count++;
    return count;
  });
}
