// The Node flags the server's process runs with: `npm start`, `npm run cluster`, the browser
// tests' server processes and bench:sip's server (`npm run dev` leaves them to tsx watch).
//
// --max-semi-space-size=32: V8's young generation may grow to 32 MB per semi-space (the default
// stops at 16 MB). Every SIP message the edge handles leaves short-lived garbage (≈ 50 KB per
// registration); with the default the young generation filled every few tens of milliseconds and
// its collections, with the threads V8 runs beside them, took about a third to a half of the
// edge's CPU per registration (bench:sip-cpu, alternating: 165–187 µs with the default, 96–116 µs
// with 32 MB, 85–93 µs with 64 MB). 32 rather than 64: most of the gain for half the memory. The
// cost is memory only a busy server uses: up to 96 MB more for the young generation under load.
export const serverNodeFlags = ['--max-semi-space-size=32'];
