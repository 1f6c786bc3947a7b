'use strict'
// Runs dynalite for the simulator's DynamoDB: `node dynalite-host.js <parent-pid> [<data folder>]`.
//
// Why a wrapper instead of dynalite's cli.js: cli.js treats `--port 0` as "use 4567"
// (`argv.port || 4567`), so it cannot bind a port the OS picks; and a process that
// outlives a killed simulator must notice on its own. This script
// - listens on 127.0.0.1, port chosen by the OS, and prints `DYNALITE_LISTENING <port>`;
// - exits when its stdin reaches end-of-file: the simulator holds the write end, and the
//   kernel closes it when the simulator exits for any reason, SIGKILL included;
// - also exits when the parent PID disappears or it is re-parented (belt and braces);
// - ignores SIGINT/SIGHUP: Ctrl-C in a terminal reaches the whole process group, and it is
//   the simulator's decision (it may be shutting down gracefully) when DynamoDB goes away.
const dynalite = require('dynalite')

const parentPid = Number(process.argv[2] || 0)
const originalPpid = process.ppid

function exit (code) {
  process.exit(code)
}

// An optional second argument keeps the tables in that folder (dynalite's `path` option: LevelDB through the
// `level` package) instead of memory, so they outlive this process: `rehearse --state DIR`, then `runs list`.
const dataPath = process.argv[3] || undefined
const server = dynalite({ path: dataPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.on('error', function (err) {
  process.stderr.write('dynalite failed: ' + (err && err.stack || err) + '\n')
  exit(1)
})
server.listen(0, '127.0.0.1', function () {
  process.stdout.write('DYNALITE_LISTENING ' + server.address().port + '\n')
})

process.stdin.on('end', function () { exit(0) })
process.stdin.on('close', function () { exit(0) })
process.stdin.on('error', function () { exit(0) })
process.stdin.resume()

process.on('SIGINT', function () {})
process.on('SIGHUP', function () {})
process.on('SIGTERM', function () { exit(0) })

setInterval(function () {
  if (process.ppid !== originalPpid) exit(0)
  if (parentPid > 0) {
    try {
      process.kill(parentPid, 0)
    }
    catch (e) {
      if (e.code === 'ESRCH') exit(0)
    }
  }
}, 250).unref()
