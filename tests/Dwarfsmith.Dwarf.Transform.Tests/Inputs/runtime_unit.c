/* A second compile unit for the host executable that MultipleInputsTests builds: it stands for the
   AOT runtime's own code, whose native units a wasm-to-native rewrite keeps beside the translated ones. */
#include <stddef.h>

struct runtime_frame {
    const char *function;
    unsigned offset;
};

static struct runtime_frame runtime_frames[4];
size_t runtime_depth;

int runtime_push_frame(const char *function, unsigned offset)
{
    if (runtime_depth >= sizeof runtime_frames / sizeof runtime_frames[0])
        return -1;
    runtime_frames[runtime_depth].function = function;
    runtime_frames[runtime_depth].offset = offset;
    return (int)runtime_depth++;
}
