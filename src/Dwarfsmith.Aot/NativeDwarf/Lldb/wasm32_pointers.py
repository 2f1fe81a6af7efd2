# wasm32 pointers in an executable from `dwarfsmith aot -g`, for lldb (loaded by dwarfsmith_lldb.py).
#
# The program's pointers are wasm32 addresses, 4 bytes, whose DWARF pointer types say
# DW_AT_byte_size 4. lldb-22 ignores that size (its pointer types are the target's, 8 bytes) and reads
# the next 4 bytes of memory as the upper half. This module knows which values are wasm32 pointers
# and reads them as 4 bytes:
#   - a value stored in linear memory (wasm_mem0_base .. + wasm_mem0_size, or the debug builds' alias
#     of it at the wasm addresses themselves) is the program's: the runtime keeps none of its own there;
#   - a variable of a translated function's frame (native symbol f_<name>) is the program's too (a
#     wasm local lives in a C variable of the generated code, on the native stack or in a register).
# Everything else (the runtime's own C, libc) keeps lldb's reading.
# A wasm address a is host address wasm_mem0_base + a, whether or not the alias exists.
import lldb

TRANSLATED_FUNCTION_PREFIX = "f_"
_VARIABLE_KINDS = (lldb.eValueTypeVariableArgument, lldb.eValueTypeVariableLocal, lldb.eValueTypeRegister)


class LinearMemory:
    """Where linear memory is in the process, read from the runtime's globals at each stop."""

    def __init__(self, base, size, alias_start):
        self.base = base
        self.size = size
        self.alias_start = alias_start

    _cached = {}
    # wasm_mem0_base is itself a pointer: reading it asks the pointer provider, which asks for this.
    _reading = False

    @classmethod
    def of(cls, target):
        process = target.GetProcess()
        if cls._reading or not process.IsValid() or process.GetState() != lldb.eStateStopped:
            return None
        key = (process.GetUniqueID(), process.GetStopID())
        if key not in cls._cached:
            cls._reading = True
            try:
                base = _global_unsigned(target, "wasm_mem0_base")
                size = _global_unsigned(target, "wasm_mem0_size") or 0
                alias_start = _global_unsigned(target, "wasm_mem0_alias_start") or 0
            finally:
                cls._reading = False
            cls._cached.clear()
            cls._cached[key] = cls(base, size, alias_start) if base is not None else None
        return cls._cached[key]

    def contains_host(self, address):
        if self.base <= address < self.base + self.size:
            return True
        return self.alias_start != 0 and self.alias_start <= address < self.size

    def wasm_address(self, host):
        """The wasm address of host address `host` in linear memory."""
        return host - self.base if self.base <= host < self.base + self.size else host

    def host_address(self, wasm):
        return self.base + wasm


def _global_unsigned(target, name):
    value = target.FindFirstGlobalVariable(name).GetNonSyntheticValue()
    if not value.IsValid():
        return None
    number = value.GetValueAsUnsigned(0)
    return number if value.GetError().Success() else None


def is_pointer_type(sbtype, internal_dict=None):
    return sbtype.GetCanonicalType().IsPointerType()


def wasm_size(sbtype):
    """The size of a type in wasm32: lldb's, but with 4-byte pointers (in arrays too; structs have
    their DWARF size and member offsets, which lldb keeps)."""
    canonical = sbtype.GetCanonicalType()
    if canonical.IsPointerType() or canonical.IsReferenceType():
        return 4
    if canonical.IsArrayType():
        element = canonical.GetArrayElementType()
        return array_length(canonical) * wasm_size(element)
    return canonical.GetByteSize()


def array_length(sbtype):
    canonical = sbtype.GetCanonicalType()
    element_size = canonical.GetArrayElementType().GetByteSize()
    return canonical.GetByteSize() // element_size if element_size else 0


def is_array_of_pointers(sbtype, internal_dict=None):
    """An array whose elements lldb lays out wider than wasm32 does (pointers, or arrays of them)."""
    canonical = sbtype.GetCanonicalType()
    if not canonical.IsArrayType():
        return False
    element = canonical.GetArrayElementType()
    return wasm_size(element) != element.GetByteSize()


def is_wasm_value(value, memory):
    """Whether `value` (an SBValue) is the program's: in linear memory, or a variable of a translated function."""
    raw = value.GetNonSyntheticValue()
    address = raw.GetLoadAddress()
    if address != lldb.LLDB_INVALID_ADDRESS and memory.contains_host(address):
        return True
    if raw.GetValueType() in _VARIABLE_KINDS:
        frame = raw.GetFrame()
        name = frame.GetSymbol().GetName() if frame.IsValid() else None
        return name is not None and name.startswith(TRANSLATED_FUNCTION_PREFIX)
    return False


def wasm_pointer(value):
    """The 4-byte wasm address held by a wasm32 pointer `value`: the low half of the 8 bytes lldb
    read (little-endian), wherever the value is. Not its load address read again: for a value held
    as a scalar (a register, finish's return value) lldb gives the scalar itself as the load address.
    Where lldb could not read 8 bytes (the pointer ends a mapped page), the 4 bytes at its address."""
    raw = value.GetNonSyntheticValue()
    error = lldb.SBError()
    number = raw.GetValueAsUnsigned(error, 0)
    if error.Success():
        return number & 0xFFFFFFFF
    address = raw.GetLoadAddress()
    if address != lldb.LLDB_INVALID_ADDRESS:
        number = raw.GetProcess().ReadUnsignedFromMemory(address, 4, error)
        if error.Success():
            return number
    return 0


def pointer_value(target, name, wasm_address, pointer_type):
    """A value of `pointer_type` holding `wasm_address`, zero-extended as lldb reads pointers."""
    data = lldb.SBData.CreateDataFromUInt64Array(lldb.eByteOrderLittle, 8, [wasm_address])
    return target.CreateValueFromData(name, data, pointer_type)


def pointee(target, name, memory, wasm_address, pointee_type):
    """The object a wasm32 pointer points to, read at its host address."""
    address = lldb.SBAddress(memory.host_address(wasm_address), target)
    return target.CreateValueFromAddress(name, address, pointee_type)


# Values this module made to carry a pointer's 4-byte value: the provider gives them no value of its own.
_CARRIER = "$dwarfsmith_wasm32"


class WasmPointerProvider:
    """lldb synthetic children provider for pointer types: a wasm32 pointer's value is its 4 bytes
    (so `frame variable`, backtraces, struct members and `char *` strings show the right address),
    and its one child is what it points to, read at the host address."""

    def __init__(self, valobj, internal_dict):
        self.valobj = valobj
        self.value = None
        self.child = None
        self.wasm = False

    def update(self):
        # lldb does not keep the value get_value returns alive: this object holds it.
        self.value = None
        self.child = None
        self.wasm = False
        if self.valobj.GetName() == _CARRIER:
            return False
        target = self.valobj.GetTarget()
        memory = LinearMemory.of(target)
        if memory is None or not is_wasm_value(self.valobj, memory):
            return False
        self.wasm = True
        raw = self.valobj.GetNonSyntheticValue()
        address = wasm_pointer(raw)
        self.value = pointer_value(target, _CARRIER, address, raw.GetType())
        target_type = raw.GetType().GetPointeeType()
        if address != 0 and _has_object(target_type):
            self.child = pointee(target, "*" + (raw.GetName() or ""), memory, address, target_type)
        return False

    def get_value(self):
        return self.value

    def num_children(self):
        if self.wasm:
            return 1 if self.child is not None else 0
        return self.valobj.GetNonSyntheticValue().GetNumChildren()

    def has_children(self):
        return self.num_children() > 0

    def get_child_at_index(self, index):
        if self.wasm:
            return self.child if index == 0 else None
        return self.valobj.GetNonSyntheticValue().GetChildAtIndex(index)

    def get_child_index(self, name):
        if self.wasm:
            return 0 if self.child is not None and name == self.child.GetName() else -1
        return self.valobj.GetNonSyntheticValue().GetIndexOfChildWithName(name)


def _has_object(sbtype):
    canonical = sbtype.GetCanonicalType()
    return canonical.IsValid() and canonical.GetTypeClass() != lldb.eTypeClassFunction \
        and canonical.GetBasicType() != lldb.eBasicTypeVoid and canonical.GetByteSize() > 0


class WasmArrayProvider:
    """lldb synthetic children provider for arrays of pointers: lldb places element i at i times its
    8-byte pointer size, wasm32 at i times 4; in linear memory, the elements are read where they are."""

    def __init__(self, valobj, internal_dict):
        self.valobj = valobj
        self.elements = None

    def update(self):
        self.elements = None
        raw = self.valobj.GetNonSyntheticValue()
        target = raw.GetTarget()
        memory = LinearMemory.of(target)
        base = raw.GetLoadAddress()
        if memory is None or base == lldb.LLDB_INVALID_ADDRESS or not memory.contains_host(base):
            return False
        array_type = raw.GetType()
        element_type = array_type.GetArrayElementType()
        if not element_type.IsValid():
            element_type = array_type.GetCanonicalType().GetArrayElementType()
        stride = wasm_size(element_type)
        self.elements = [
            target.CreateValueFromAddress("[%d]" % index, lldb.SBAddress(base + index * stride, target), element_type)
            for index in range(array_length(array_type))]
        return False

    def num_children(self):
        if self.elements is not None:
            return len(self.elements)
        return self.valobj.GetNonSyntheticValue().GetNumChildren()

    def has_children(self):
        return self.num_children() > 0

    def get_child_at_index(self, index):
        if self.elements is not None:
            return self.elements[index] if 0 <= index < len(self.elements) else None
        return self.valobj.GetNonSyntheticValue().GetChildAtIndex(index)

    def get_child_index(self, name):
        if self.elements is not None:
            text = name.strip("[]")
            return int(text) if text.isdigit() and int(text) < len(self.elements) else -1
        return self.valobj.GetNonSyntheticValue().GetIndexOfChildWithName(name)
