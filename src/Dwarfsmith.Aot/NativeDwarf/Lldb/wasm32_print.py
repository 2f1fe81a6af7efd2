# `p`/`print` and `v` for executables from `dwarfsmith aot -g` (loaded by dwarfsmith_lldb.py).
#
# lldb's `p` (dwim-print) evaluates a variable path (`*n`, `n->next->value`, `s[1]`, `&x`) with its own
# evaluator, which dereferences a pointer by the 8 bytes it read, and otherwise compiles the expression
# for the host, where pointers are 8 bytes too: neither can follow a wasm32 pointer. This command
# evaluates such paths itself, reading wasm32 pointers as 4 bytes at their host address
# (wasm32_pointers), and prints the result as dwim-print does. A path that follows no wasm32 pointer
# (a variable, its members, elements of arrays laid out as lldb lays them out), and anything else
# (casts, arithmetic, calls), goes to dwim-print unchanged. `v` (frame variable) likewise for its paths, with options or without
# arguments lldb's own.
#
# Grammar: assignment := unary ['=' assignment]; unary := ('*' | '&' | '-') unary | postfix;
# postfix := primary ('->' name | '.' name | '[' assignment ']')*; primary := name | number | '(' assignment ')'.
import re

import lldb

import wasm32_pointers as pointers

_TOKEN = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|\d+)|([A-Za-z_]\w*)|(->|[*&.\[\]()=-]))")


class NotAPath(Exception):
    """The input is not a path this command evaluates: dwim-print gets it."""


class Result:
    """An evaluated operand: its SBValue, and whether it is the program's (wasm32 pointers)."""

    def __init__(self, value, wasm):
        self.value = value
        self.wasm = wasm


def tokenize(text):
    tokens = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise NotAPath()
        number, name, operator = match.groups()
        tokens.append(("number", int(number, 0)) if number else ("name", name) if name else ("op", operator))
        position = match.end()
    return tokens


class Evaluator:
    def __init__(self, frame, text):
        self.frame = frame
        self.target = frame.GetThread().GetProcess().GetTarget()
        self.memory = pointers.LinearMemory.of(self.target)
        if self.memory is None:
            # Not an aot -g process (or not stopped): lldb's own print is the right one.
            raise NotAPath()
        self.tokens = tokenize(text)
        self.position = 0
        # Whether evaluating needed wasm32's layout (a wasm pointer followed or taken, an element of
        # an array lldb lays out wider, an assignment): without it lldb's own answer is right, and
        # formatted as lldb formats it (its depth limits, one-line summaries).
        self.wasm_layout = False

    def evaluate(self):
        if not self.tokens:
            raise NotAPath()
        result = self.assignment()
        if self.position != len(self.tokens):
            raise NotAPath()
        return result

    # ---------- parsing ----------

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, kind, text=None):
        token = self.peek()
        if token[0] != kind or (text is not None and token[1] != text):
            raise NotAPath()
        self.position += 1
        return token[1]

    def accept(self, text):
        if self.peek() == ("op", text):
            self.position += 1
            return True
        return False

    def assignment(self):
        left = self.unary()
        if self.accept("="):
            return self.assign(left, self.assignment())
        return left

    def unary(self):
        if self.accept("*"):
            return self.dereference(self.unary())
        if self.accept("&"):
            return self.address_of(self.unary())
        if self.accept("-"):
            operand = self.unary()
            if not operand.value.GetType().GetCanonicalType().GetTypeFlags() & lldb.eTypeIsInteger:
                raise NotAPath()
            return self.integer(-operand.value.GetValueAsSigned())
        return self.postfix()

    def postfix(self):
        result = self.primary()
        while True:
            if self.accept("->"):
                result = self.member(self.dereference(result), self.take("name"))
            elif self.accept("."):
                result = self.member(result, self.take("name"))
            elif self.accept("["):
                index = self.assignment()
                self.take("op", "]")
                result = self.element(result, index.value.GetValueAsSigned())
            else:
                return result

    def primary(self):
        kind, token = self.peek()
        if kind == "number":
            self.position += 1
            return self.integer(token)
        if kind == "name":
            self.position += 1
            return self.variable(token)
        self.take("op", "(")
        result = self.assignment()
        self.take("op", ")")
        return result

    # ---------- values ----------

    def variable(self, name):
        value = self.frame.FindVariable(name)
        for kind in (lldb.eValueTypeVariableStatic, lldb.eValueTypeVariableGlobal):
            if not value.IsValid():
                value = self.frame.FindValue(name, kind)
        if not value.IsValid():
            value = self.target.FindFirstGlobalVariable(name)
        if not value.IsValid():
            raise NotAPath()
        return Result(value, pointers.is_wasm_value(value, self.memory))

    def integer(self, number):
        small = -2**31 <= number < 2**31
        data = lldb.SBData.CreateDataFromSInt32Array(lldb.eByteOrderLittle, 4, [number]) if small \
            else lldb.SBData.CreateDataFromSInt64Array(lldb.eByteOrderLittle, 8, [number])
        sbtype = self.target.GetBasicType(lldb.eBasicTypeInt if small else lldb.eBasicTypeLongLong)
        return Result(self.target.CreateValueFromData(str(number), data, sbtype), False)

    def pointer_target(self, operand):
        """The address a pointer operand holds, as a host address, and whether it is the program's."""
        if operand.wasm:
            self.wasm_layout = True
            return self.memory.host_address(pointers.wasm_pointer(operand.value)), True
        return operand.value.GetNonSyntheticValue().GetValueAsUnsigned(0), False

    def at(self, name, host_address, sbtype, wasm):
        value = self.target.CreateValueFromAddress(name, lldb.SBAddress(host_address, self.target), sbtype)
        return Result(value, wasm)

    def dereference(self, operand):
        sbtype = operand.value.GetType()
        canonical = sbtype.GetCanonicalType()
        if canonical.IsArrayType():
            return self.element(operand, 0)
        if not canonical.IsPointerType():
            raise NotAPath()
        address, wasm = self.pointer_target(operand)
        return self.at("*" + (operand.value.GetName() or ""), address, sbtype.GetPointeeType(), wasm)

    def member(self, operand, name):
        value = operand.value.GetNonSyntheticValue().GetChildMemberWithName(name)
        if not value.IsValid():
            raise NotAPath()
        return Result(value, operand.wasm)

    def element(self, operand, index):
        sbtype = operand.value.GetType()
        canonical = sbtype.GetCanonicalType()
        if canonical.IsArrayType():
            element_type = sbtype.GetArrayElementType()
            if not element_type.IsValid():
                element_type = canonical.GetArrayElementType()
            base = operand.value.GetNonSyntheticValue().GetLoadAddress()
            if base == lldb.LLDB_INVALID_ADDRESS:
                value = operand.value.GetNonSyntheticValue().GetChildAtIndex(index, lldb.eNoDynamicValues, True)
                return Result(value, operand.wasm)
            if operand.wasm and pointers.wasm_size(element_type) != element_type.GetByteSize():
                self.wasm_layout = True
            return self.at("[%d]" % index, base + index * self.size(element_type, operand.wasm), element_type, operand.wasm)
        if canonical.IsPointerType():
            address, wasm = self.pointer_target(operand)
            element_type = sbtype.GetPointeeType()
            return self.at("[%d]" % index, address + index * self.size(element_type, wasm), element_type, wasm)
        raise NotAPath()

    @staticmethod
    def size(sbtype, wasm):
        return pointers.wasm_size(sbtype) if wasm else sbtype.GetByteSize()

    def address_of(self, operand):
        host = operand.value.GetNonSyntheticValue().GetLoadAddress()
        if host == lldb.LLDB_INVALID_ADDRESS:
            raise NotAPath()
        pointer_type = operand.value.GetType().GetPointerType()
        if self.memory.contains_host(host):
            self.wasm_layout = True
            wasm_address = self.memory.wasm_address(host)
            return Result(pointers.pointer_value(self.target, "&", wasm_address, pointer_type), True)
        return Result(operand.value.AddressOf(), False)

    def assign(self, left, right):
        self.wasm_layout = True
        target_value = left.value.GetNonSyntheticValue()
        address = target_value.GetLoadAddress()
        if address == lldb.LLDB_INVALID_ADDRESS:
            raise NotAPath()
        canonical = target_value.GetType().GetCanonicalType()
        error = lldb.SBError()
        if canonical.IsPointerType() and left.wasm:
            number = pointers.wasm_pointer(right.value) if right.wasm and right.value.GetType().GetCanonicalType().IsPointerType() \
                else right.value.GetNonSyntheticValue().GetValueAsUnsigned(0)
            self.target.GetProcess().WriteMemory(address, (number & 0xFFFFFFFF).to_bytes(4, "little"), error)
        elif canonical.GetTypeFlags() & lldb.eTypeIsFloat:
            if not target_value.SetValueFromCString(right.value.GetValue() or "", error):
                raise NotAPath()
        else:
            size = target_value.GetByteSize()
            number = right.value.GetNonSyntheticValue().GetValueAsSigned(0) & ((1 << (8 * size)) - 1)
            self.target.GetProcess().WriteMemory(address, number.to_bytes(size, "little"), error)
        if not error.Success():
            raise NotAPath()
        return Result(self.target.CreateValueFromAddress(target_value.GetName() or "", lldb.SBAddress(address, self.target),
                                                         target_value.GetType()), left.wasm)


# Languages whose null pointer lldb prints as NULL (dwim-print, on a variable of such a unit).
_C_LANGUAGES = (lldb.eLanguageTypeC, lldb.eLanguageTypeC89, lldb.eLanguageTypeC99, lldb.eLanguageTypeC11,
                getattr(lldb, "eLanguageTypeC17", -1))
# A null pointer as lldb prints it for a value with no language of its own (one made from an address).
_NULLPTR = re.compile(r"(?<=[)=] )nullptr$", re.MULTILINE)


def describe(value, language):
    """What dwim-print shows for a value: its type and value, without a name, null pointers as the
    frame's language writes them (a value made from an address has no language, and lldb then
    writes C++'s nullptr)."""
    text = _described(value)
    return _NULLPTR.sub("NULL", text) if language in _C_LANGUAGES else text


def _described(value):
    stream = lldb.SBStream()
    value.GetDescription(stream)
    text = stream.GetData()
    name = value.GetName()
    prefix = "(%s) " % value.GetDisplayTypeName()
    if text.startswith(prefix):
        rest = text[len(prefix):]
        if name and rest.startswith(name + " = "):
            rest = rest[len(name) + 3:]
        elif rest.startswith("= "):
            rest = rest[2:]
        # dwim-print writes the empty name between the type and an aggregate's one-line summary.
        return prefix + (" " if rest.startswith("(") else "") + rest
    return text


# Formats `p -f NAME -- EXPR` and `p -G LETTER -- EXPR` (gdb's letters) may ask for. `p/x EXPR` does not
# reach this command: lldb turns it into `p --gdb-format x` only for commands with parsed options,
# and a parsed Python command gets its arguments unquoted (`p 'a'` would print the variable a).
_FORMATS = {
    "x": lldb.eFormatHex, "hex": lldb.eFormatHex, "X": lldb.eFormatHexUppercase, "uppercase hex": lldb.eFormatHexUppercase,
    "d": lldb.eFormatDecimal, "decimal": lldb.eFormatDecimal, "u": lldb.eFormatUnsigned, "unsigned decimal": lldb.eFormatUnsigned,
    "o": lldb.eFormatOctal, "octal": lldb.eFormatOctal, "t": lldb.eFormatBinary, "b": lldb.eFormatBinary, "binary": lldb.eFormatBinary,
    "c": lldb.eFormatChar, "char": lldb.eFormatChar, "f": lldb.eFormatFloat, "float": lldb.eFormatFloat,
    "s": lldb.eFormatCString, "c-string": lldb.eFormatCString, "a": lldb.eFormatAddressInfo, "address": lldb.eFormatAddressInfo,
}


def print_command(debugger, command, execution_context, result, internal_dict):
    """`p`/`print` (a raw command, so that the expression reaches it as typed, quotes and all)."""
    frame = execution_context.GetFrame()
    options, text = _split_options(command)
    format_name = options.get("format")
    if frame.IsValid() and text and options is not None and (format_name is None or format_name in _FORMATS):
        try:
            evaluator = Evaluator(frame, text)
            value = evaluator.evaluate().value
            if evaluator.wasm_layout and value.GetError().Success():
                if format_name is not None:
                    value.SetFormat(_FORMATS[format_name])
                result.AppendMessage(describe(value, frame.GetCompileUnit().GetLanguage()).rstrip("\n"))
                result.SetStatus(lldb.eReturnStatusSuccessFinishResult)
                return
        except NotAPath:
            pass
    # Not a path this command evaluates (or no frame): lldb's own print, given the line as typed.
    fallback = "dwim-print " + command if command.lstrip().startswith("-") else "dwim-print -- " + command
    debugger.GetCommandInterpreter().HandleCommand(fallback, execution_context, result)


def _split_options(command):
    """`-f NAME`/`--format NAME`/`-G LETTER`/`--gdb-format LETTER` before `--`, and the expression;
    options None when there are others (dwim-print gets those)."""
    text = command.strip()
    if not text.startswith("-"):
        return {}, text
    head, separator, expression = text.partition(" -- ")
    if not separator:
        return None, text
    words = head.replace("=", " ").split()
    options = {}
    while words:
        name = words.pop(0)
        if name in ("-f", "--format") and words:
            options["format"] = words.pop(0)
        elif name in ("-G", "--gdb-format") and words:
            options["format"] = words.pop(0).lstrip("0123456789")
        else:
            return None, text
    return options, expression.strip()


def variable_command(debugger, command, execution_context, result, internal_dict):
    """`v PATH...`: each path as `frame variable PATH` prints it ("(type) PATH = value")."""
    frame = execution_context.GetFrame()
    paths = command.split()
    if frame.IsValid() and paths and not any(path.startswith("-") for path in paths):
        try:
            evaluators = [Evaluator(frame, path) for path in paths]
            values = [evaluator.evaluate().value for evaluator in evaluators]
            if any(evaluator.wasm_layout for evaluator in evaluators) and all(value.GetError().Success() for value in values):
                language = frame.GetCompileUnit().GetLanguage()
                for path, value in zip(paths, values):
                    result.AppendMessage(described_as(value, path, language).rstrip("\n"))
                result.SetStatus(lldb.eReturnStatusSuccessFinishResult)
                return
        except NotAPath:
            pass
    debugger.GetCommandInterpreter().HandleCommand("frame variable " + command, execution_context, result)


def described_as(value, path, language):
    """What `frame variable PATH` shows: the value under the name PATH."""
    text = describe(value, language)
    prefix = "(%s) " % value.GetDisplayTypeName()
    if not text.startswith(prefix):
        return text
    rest = text[len(prefix):].lstrip(" ")
    return prefix + path + " = " + rest
