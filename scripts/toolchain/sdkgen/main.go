// pulumi-sdkgen: generates the Python and Go SDKs of a Pulumi package schema with Pulumi's own code generators
// (github.com/pulumi/pulumi/pkg/v3/codegen/{python,go}), without the Python and Go language hosts, which
// `pulumi package gen-sdk` asks for and which the Go module proxy here does not serve.
//
//	pulumi-sdkgen -schema schema.json -dep kubernetes=k8s-schema.json -language python|go -out DIR
//	             [-go-import-base example.com/sdk/istiomulticluster]
//
// Referenced packages are bound from the schema files given with -dep (e.g. `pulumi package get-schema
// kubernetes`), never from plugins. Built by scripts/toolchain/sdkgen.sh; used by scripts/check-sdks.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// fileLoader serves the packages bound from -dep schema files.
type fileLoader map[string]*schema.Package

func (l fileLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	if p, ok := l[name]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("no schema for package %q: pass -dep %s=FILE (pulumi package get-schema %s)", name, name, name)
}

func (l fileLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l fileLoader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	p, err := l.LoadPackage(name, v)
	if err != nil {
		return nil, err
	}
	return p.Reference(), nil
}

func (l fileLoader) LoadPackageReferenceV2(ctx context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

type deps []string

func (d *deps) String() string     { return strings.Join(*d, ",") }
func (d *deps) Set(s string) error { *d = append(*d, s); return nil }

func readSpec(path string) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	b, err := os.ReadFile(path)
	if err != nil {
		return spec, err
	}
	return spec, json.Unmarshal(b, &spec)
}

func bind(spec schema.PackageSpec, loader fileLoader) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("schema of %s does not bind: %s", spec.Name, diags.Error())
	}
	return pkg, nil
}

func run() error {
	schemaPath := flag.String("schema", "", "the package's schema (JSON)")
	language := flag.String("language", "", "python or go")
	out := flag.String("out", "", "output directory")
	goImportBase := flag.String("go-import-base", "", "Go import path of the generated package (language go)")
	var depFiles deps
	flag.Var(&depFiles, "dep", "NAME=FILE: schema of a referenced package (repeatable)")
	flag.Parse()
	if *schemaPath == "" || *out == "" || (*language != "python" && *language != "go") {
		return fmt.Errorf("usage: pulumi-sdkgen -schema FILE -language python|go -out DIR [-dep NAME=FILE]... [-go-import-base PATH]")
	}

	loader := fileLoader{}
	for _, d := range depFiles {
		name, file, ok := strings.Cut(d, "=")
		if !ok {
			return fmt.Errorf("-dep %q: want NAME=FILE", d)
		}
		spec, err := readSpec(file)
		if err != nil {
			return fmt.Errorf("-dep %s: %w", name, err)
		}
		if loader[name], err = bind(spec, loader); err != nil {
			return err
		}
	}
	spec, err := readSpec(*schemaPath)
	if err != nil {
		return err
	}
	if *language == "go" && *goImportBase != "" {
		if spec.Language == nil {
			spec.Language = map[string]schema.RawMessage{}
		}
		spec.Language["go"] = schema.RawMessage(fmt.Sprintf(`{"importBasePath": %q}`, *goImportBase))
	}
	pkg, err := bind(spec, loader)
	if err != nil {
		return err
	}

	var files map[string][]byte
	switch *language {
	case "python":
		files, err = python.GeneratePackage("pulumi-sdkgen", pkg, nil, loader)
	case "go":
		files, err = gogen.GeneratePackage("pulumi-sdkgen", pkg, nil)
	}
	if err != nil {
		return fmt.Errorf("generating the %s SDK: %w", *language, err)
	}
	for name, content := range files {
		p := filepath.Join(*out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "pulumi-sdkgen: %d %s files in %s\n", len(files), *language, *out)
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-sdkgen:", err)
		os.Exit(1)
	}
}
