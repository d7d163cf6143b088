// cli/commands.h: the subcommands of the `weefsel` program, one Register function per group.
//
// main() is a shell (cli/main.cc): it builds a CLI11 app, lets each group register its
// subcommands, parses, and runs the chosen one. Each group lives in its own file (cmd_*.cc) and
// calls into the module libraries; no logic of substance lives in cli/.
// Exit statuses: 0 success, 1 internal failure, 2 bad input (file, line, field named on stderr).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "base/status.h"

namespace weefsel::cli {

// Prints "weefsel: <message>" to stderr and returns the exit status for the status's code.
int Fail(const Status& s);

// Makes `fn` the action of subcommand `sub`; its return value becomes the process's exit status.
void SetAction(CLI::App* sub, std::function<int()> fn);

void RegisterStoreCommands(CLI::App& app);   // init, demo, import, export, stats (cmd_store.cc)
void RegisterServeCommands(CLI::App& app);   // serve, openapi, rights, user add (cmd_serve.cc)
void RegisterFundCommands(CLI::App& app);    // pb (cmd_fund.cc)
void RegisterFabricCommands(CLI::App& app);  // fabric report, weave, export (cmd_fabric.cc)
void RegisterMatchCommands(CLI::App& app);   // match, coalition, eval cordis|teams (cmd_match.cc)
void RegisterBackupCommands(CLI::App& app);  // backup, restore (cmd_backup.cc)
void RegisterDigestCommands(CLI::App& app);  // digest, fabric snapshot (cmd_digest.cc)

}  // namespace weefsel::cli
