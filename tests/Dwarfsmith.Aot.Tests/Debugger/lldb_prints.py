# The "prints" of lldb_stops.py's stops: what `p` prints for the frame's arguments and locals, the
# command a user types, through whatever `p` is (lldb's dwim-print natively, the extension's in an
# AOT build), with addresses blanked. Pointers: `p NAME`, `p *NAME`, `p NAME[0]` and `p NAME->MEMBER`
# for each member of a pointed-to struct; arrays: `p NAME`, `p NAME[LAST]` and its members; structs:
# `p NAME.MEMBER`. Only scalars and the program's own types count: the C library's (FILE) are
# glibc's natively and musl's in wasm.
import os
import re

import lldb

ADDRESS = re.compile(r"0x[0-9a-f]{16}")
_SCALAR_CLASSES = (lldb.eTypeClassBuiltin, lldb.eTypeClassEnumeration)
_NO_VALUE = (None, "null", "<not yet declared>", "<optimized out>")


def printed(debugger, command):
    result = lldb.SBCommandReturnObject()
    debugger.GetCommandInterpreter().HandleCommand(command, result)
    text = result.GetOutput() if result.Succeeded() else "error"
    return ADDRESS.sub("0x…", text.strip())


def defines(source_text, sbtype):
    """Whether the program's source defines the struct, union or typedef `sbtype` names."""
    name = re.sub(r"^(const |volatile |struct |union )+", "", sbtype.GetUnqualifiedType().GetName())
    pattern = r"\b(struct|union)\s+%s\s*\{|\}\s*%s\s*;" % (re.escape(name), re.escape(name))
    return re.search(pattern, source_text) is not None


def prints(debugger, frame, variables_shown):
    found = {}
    source_path = frame.GetLineEntry().GetFileSpec().fullpath
    source_text = open(source_path, encoding="utf-8").read() if source_path and os.path.exists(source_path) else ""
    for value in frame.GetVariables(True, True, False, True):
        name = value.GetName()
        if variables_shown.get(name) in _NO_VALUE:
            continue
        canonical = value.GetType().GetCanonicalType()
        if canonical.IsPointerType():
            pointer_prints(debugger, name, value, source_text, found)
        elif canonical.IsArrayType():
            array_prints(debugger, name, value, source_text, found)
        elif canonical.GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion) \
                and (defines(source_text, value.GetType()) or defines(source_text, canonical)):
            member_prints(debugger, name, ".", canonical, found)
    return found


def printable(sbtype, declared, source_text):
    """Whether what a pointer or array holds is printed: scalars, pointers, the program's own types."""
    canonical = sbtype.GetCanonicalType()
    if canonical.GetBasicType() == lldb.eBasicTypeVoid or canonical.GetTypeClass() == lldb.eTypeClassFunction:
        return False
    return canonical.GetTypeClass() in _SCALAR_CLASSES or canonical.GetTypeClass() == lldb.eTypeClassPointer \
        or defines(source_text, declared) or defines(source_text, sbtype)


def pointer_prints(debugger, name, value, source_text, found):
    """`p NAME`, `p *NAME`, `p NAME[0]`, and `p NAME->MEMBER` for each member of a pointed-to struct."""
    pointee = value.GetType().GetCanonicalType().GetPointeeType()
    if not printable(pointee, value.GetType().GetPointeeType(), source_text):
        return
    for command in ("p " + name, "p *" + name, "p %s[0]" % name):
        found[command] = printed(debugger, command)
    if pointee.GetCanonicalType().GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion):
        member_prints(debugger, name, "->", pointee.GetCanonicalType(), found)


def array_prints(debugger, name, value, source_text, found):
    """`p NAME` and `p NAME[LAST]` (its last element), through the members of a struct element."""
    canonical = value.GetType().GetCanonicalType()
    element = canonical.GetArrayElementType()
    length = value.GetNumChildren()
    if length == 0 or not printable(element, element, source_text):
        return
    if element.GetCanonicalType().IsPointerType():
        # A function pointer is its wasm table index in an AOT build (docs/ARCHITECTURE.md, "lldb").
        if element.GetCanonicalType().GetPointeeType().GetCanonicalType().GetTypeClass() == lldb.eTypeClassFunction:
            return
        # The extension's array provider gives an array of pointers synthetic elements, which lldb
        # prints one per line with their addresses where natively it prints the array on one line:
        # its elements are compared, not that layout.
    else:
        found["p " + name] = printed(debugger, "p " + name)
    last = "%s[%d]" % (name, length - 1)
    found["p " + last] = printed(debugger, "p " + last)
    if element.GetCanonicalType().GetTypeClass() in (lldb.eTypeClassStruct, lldb.eTypeClassUnion):
        member_prints(debugger, last, ".", element.GetCanonicalType(), found)


def member_prints(debugger, path, operator, struct_type, found):
    for index in range(struct_type.GetNumberOfFields()):
        member = struct_type.GetFieldAtIndex(index).GetName()
        if member:
            command = "p %s%s%s" % (path, operator, member)
            found[command] = printed(debugger, command)
