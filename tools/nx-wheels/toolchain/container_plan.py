"""What cibuildwheel's Linux build would run its containers with, asked of cibuildwheel itself.

Usage: python container_plan.py <package-dir> <identifier>...   (from the directory cibuildwheel runs in)

Prints one JSON object: {"engine": "docker"|"podman", "createArgs": [...], "disableHostMount": bool,
"configured": bool, "images": {"<identifier>": "<image>"}}. `configured` says whether the project or
the environment chose the engine (CIBW_CONTAINER_ENGINE or a container-engine option), as opposed
to cibuildwheel's default. Options are resolved by cibuildwheel's own compute_options (environment
over pyproject overrides over the platform table over the top level), so the answer is the one
cibuildwheel acts on. Exit 2 with one line on stderr when cibuildwheel refuses the configuration.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path


def main() -> int:
    package_dir, identifiers = sys.argv[1], sys.argv[2:]
    from cibuildwheel import errors
    from cibuildwheel.options import CommandLineArguments, compute_options
    from cibuildwheel.platforms.linux import container_image_for_python_configuration, get_python_configurations
    from cibuildwheel.selector import BuildSelector

    args = dataclasses.replace(CommandLineArguments.defaults(), platform="linux", package_dir=Path(package_dir))
    try:
        options = compute_options(platform="linux", command_line_arguments=args, env=os.environ)
        wanted = set(identifiers)
        configs = get_python_configurations(BuildSelector(build_config="*", skip_config=""), options.globals.architectures)
        images: dict[str, str] = {}
        engine = None
        for config in configs:
            if config.identifier not in wanted:
                continue
            build = options.build_options(config.identifier)
            images[config.identifier] = container_image_for_python_configuration(config, build)
            engine = build.container_engine
    except errors.FatalError as e:
        print(f"cibuildwheel: {e}", file=sys.stderr)
        return 2
    if engine is None:
        engine = options.build_options(None).container_engine
    reader = options.reader
    project_tables = [reader.config_options, reader.config_platform_options, *(o.options for o in reader.overrides)]
    configured = bool(os.environ.get("CIBW_CONTAINER_ENGINE")) or any("container-engine" in t for t in project_tables)
    print(json.dumps({
        "engine": engine.name,
        "createArgs": list(engine.create_args),
        "disableHostMount": bool(engine.disable_host_mount),
        "configured": configured,
        "images": images,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
