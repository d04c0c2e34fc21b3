"""The two kernels compared: the keys every figure is stored under, and their names in the table."""
import time

LK, SM = "livykernel", "sparkmagic"
LABEL = {LK: "LivyKernel", SM: "sparkmagic"}
BOTH = (LK, SM)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)
