package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ovrseer/ovrseer/internal/export"
)

// exportConfig is the command line of `ovrseer export FORMAT`.
type exportConfig struct {
	format string
	output string // -o DIR; "" writes a nomad job to stdout
	name   string // --name
	root   string // --root
}

func addExportFlags(fs *pflag.FlagSet) {
	fs.StringP("output", "o", "", "export: write the files to `DIR`")
	fs.String("name", "", "export: the stack name (default: the Ovrfile's directory name)")
	fs.String("root", "", "export: `DIR` replaces the Ovrfile's directory in paths")
}

func (exportConfig) flagsSet(fs *pflag.FlagSet) bool {
	return fs.Changed("output") || fs.Changed("name") || fs.Changed("root")
}

// parseExport parses the command; `export` takes one argument, the format.
func parseExport(fs *pflag.FlagSet) (command, exportConfig, error) {
	args := fs.Args()
	if len(args) == 0 || args[0] != "export" {
		cmd, err := parseCommand(args)
		return cmd, exportConfig{}, err
	}
	var ec exportConfig
	switch len(args) {
	case 1:
		return cmdExport, ec, fmt.Errorf("export: missing FORMAT (%s)", strings.Join(export.Formats, " or "))
	case 2:
	default:
		return cmdExport, ec, fmt.Errorf("unexpected arguments after %q: %s", "export "+args[1], strings.Join(args[2:], " "))
	}
	ec.format = args[1]
	ec.output, _ = fs.GetString("output")
	ec.name, _ = fs.GetString("name")
	ec.root, _ = fs.GetString("root")
	if ec.format == "systemd" && ec.output == "" {
		return cmdExport, ec, errors.New("export systemd: -o DIR is required")
	}
	return cmdExport, ec, nil
}

// runExport writes the plan as ec.format and lists on stderr what was not
// exported: exit 0 with that list, 1 on errors.
func runExport(cfg config, stdout, stderr io.Writer) int {
	ovr, code := load(cfg, stderr)
	if ovr == nil {
		return code
	}
	ec := cfg.export
	res, err := export.Export(ovr, export.Options{Format: ec.format, Name: ec.name, Root: ec.root})
	if _, ok := errors.AsType[*export.OptionError](err); ok {
		fmt.Fprintf(stderr, "ovrseer: export: %v\n", err)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "ovrseer: export: %v\n", err)
		return 1
	}
	if err := writeExport(res.Files, ec.output, stdout); err != nil {
		fmt.Fprintf(stderr, "ovrseer: export: %v\n", err)
		return 1
	}
	for _, n := range res.Notes {
		fmt.Fprintln(stderr, n)
	}
	return exitOK
}

// writeExport writes files (0600) into dir, or to stdout when dir is "".
func writeExport(files []export.File, dir string, stdout io.Writer) error {
	if dir == "" {
		for _, f := range files {
			if _, err := stdout.Write(f.Data); err != nil {
				return err
			}
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(dir, f.Name), f.Data); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic replaces path with data (mode 0600) through a temporary
// file in the same directory, so a reader never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
