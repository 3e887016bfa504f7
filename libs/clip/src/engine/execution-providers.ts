/** What each ONNX Runtime execution provider needs, for messages a person can act on. */
const PROVIDERS: Record<string, { name: string; needs: string }> = {
  cuda: {
    name: 'CUDA',
    needs:
      'an NVIDIA GPU with CUDA 12 and cuDNN 9, and onnxruntime-node installed with its CUDA binaries ' +
      '(onnxruntime-node-install=cuda12, as docker/Dockerfile.gpu does)',
  },
  tensorrt: {
    name: 'TensorRT',
    needs: "an NVIDIA GPU with TensorRT, CUDA and onnxruntime-node's GPU binaries",
  },
  dml: { name: 'DirectML', needs: 'Windows with a DirectX 12 GPU' },
  coreml: { name: 'CoreML', needs: 'macOS' },
  webgpu: { name: 'WebGPU', needs: 'a GPU with a Vulkan, Metal or DirectX 12 driver' },
};

/** The requested provider that ONNX Runtime's failure message names (`…AppendExecutionProvider_Cuda: …`). */
export function failedProvider(requested: readonly string[], message: string): string | undefined {
  const lower = message.toLowerCase();
  return requested.find((p) => p.toLowerCase() !== 'cpu' && lower.includes(p.toLowerCase()));
}

/**
 * "CUDA is not available here (it needs …)" for the provider that failed, rather than the whole list, so the
 * reader knows which one to fix or drop from CLIPGUARD_EXECUTION_PROVIDERS.
 */
export function providerHint(requested: readonly string[], message: string): string {
  const failed = failedProvider(requested, message);
  if (!failed) {
    return `execution providers [${requested.join(', ')}]: ONNX Runtime could not use them here (${message})`;
  }
  const known = PROVIDERS[failed.toLowerCase()];
  const others = requested.filter((p) => p !== failed);
  const drop =
    others.length > 0
      ? `CLIPGUARD_EXECUTION_PROVIDERS=${others.join(',')}`
      : 'CLIPGUARD_EXECUTION_PROVIDERS=cpu';
  const name = known?.name ?? failed;
  const needs = known ? `, which needs ${known.needs}` : '';
  return (
    `${name} is missing: this machine cannot run ONNX Runtime's ${name} execution provider${needs}. ` +
    `Use ${drop} to run without it. (ONNX Runtime: ${message})`
  );
}
