"""The symbol versions a shared library needs from each library it links (its ELF
.gnu.version_r section), read without binutils: the wheel's platform tag and the loader test
take the glibc floor from here, so the stated floor is the one the file really has."""
import struct

_SHT_GNU_VERNEED = 0x6FFFFFFE


def needed_versions(path):
    """{'libc.so.6': {'GLIBC_2.2.5', ...}, ...} for a 64-bit little-endian ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    result = {}
    for _name, kind, _flags, _addr, offset, _size, link, info, _align, _entsize in sections:
        if kind != _SHT_GNU_VERNEED:
            continue
        strings = sections[link][4]

        def string(at):
            end = data.index(b"\0", strings + at)
            return data[strings + at:end].decode()

        entry = offset
        for _ in range(info):  # sh_info: the number of Verneed entries
            _version, count, file, aux, following = struct.unpack_from("<HHIII", data, entry)
            names = result.setdefault(string(file), set())
            at = entry + aux
            for _ in range(count):
                _hash, _vflags, _other, name, next_aux = struct.unpack_from("<IHHII", data, at)
                names.add(string(name))
                at += next_aux
            entry += following
    return result


def glibc_floor(path):
    """The newest GLIBC_x.y the file needs, as (x, y)."""
    versions = [name[len("GLIBC_"):] for names in needed_versions(path).values() for name in names
                if name.startswith("GLIBC_") and name[len("GLIBC_"):].replace(".", "").isdigit()]
    return max(tuple(int(part) for part in version.split(".")[:2]) for version in versions)


# e_machine values and the names wheel tags give them.
_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64"}


def machine(path):
    """The architecture the file is built for, as a wheel tag names it (from its ELF header, not
    from the machine that builds the wheel)."""
    with open(path, "rb") as f:
        header = f.read(20)
    code, = struct.unpack_from("<H", header, 18)
    if code not in _MACHINES:
        raise ValueError(f"{path}: ELF machine {code:#x} has no wheel tag here")
    return _MACHINES[code]
