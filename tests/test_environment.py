"""Do the pip and conda routes install the same course?"""

import re
import tomllib

import yaml

from course import ROOT

NAME = re.compile(r"^[A-Za-z0-9_.\-]+")


def requirement_names(requirements) -> set[str]:
    return {NAME.match(r).group(0).lower().replace("_", "-") for r in requirements}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    """Does environment.yml list exactly pyproject's dependencies, at the same versions?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_packages = [d for d in conda["dependencies"] if isinstance(d, str)]
    conda_deps = {d for d in conda_packages if NAME.match(d).group(0) not in {"python", "pip"}}
    assert requirement_names(conda_deps) == requirement_names(project["dependencies"])
    assert {d.replace(" ", "") for d in conda_deps} == {
        d.replace(" ", "") for d in project["dependencies"]
    }


def test_environment_yml_installs_the_course_package():
    """Does the conda route install this package with pip, so `import graders` works?"""
    conda = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in conda["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
    assert "conda-forge" in conda["channels"]
