// `rekindle import clients|orders FILE` and `rekindle export clients|orders|emails [FILE]`
// (issue 10): the command line's side of import/importer.h and import/exporter.h.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "app/config.h"

namespace rkd {

struct ImportArgs {
  std::string kind;  // clients | orders
  std::string file;  // "-": standard input
  std::string format, map, rejects;
  bool ignore_unknown = false, skip_invalid = false, dry_run = false, sweep = false;
  int batch_rows = 50000;
};

struct ExportArgs {
  std::string kind;  // clients | orders | emails
  std::string file;  // empty or "-": standard output
  std::string format = "csv";
};

// Adds the two subcommands to `app`; each returns what ran it (parsed()).
CLI::App* AddImportCommand(CLI::App& app, ImportArgs& args);
CLI::App* AddExportCommand(CLI::App& app, ExportArgs& args);

// Run them; `sweep` runs one sweep (the `sweep` command) after an import with --sweep.
int RunImportCommand(const Config& config, const ImportArgs& args, const std::function<int()>& sweep);
int RunExportCommand(const Config& config, const ExportArgs& args);

}  // namespace rkd
