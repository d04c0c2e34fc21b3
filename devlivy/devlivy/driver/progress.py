"""Statement progress from Spark's status tracker, as Livy computes it:
completed tasks / total tasks over every stage of every job in the
statement's job group."""


def job_group_progress(spark_context, group: str) -> float:
    tracker = spark_context.statusTracker()
    total = completed = 0
    for job_id in tracker.getJobIdsForGroup(group):
        job = tracker.getJobInfo(job_id)
        if job is None:
            continue
        for stage_id in job.stageIds:
            stage = tracker.getStageInfo(stage_id)
            if stage is None:
                continue
            total += stage.numTasks
            completed += stage.numCompletedTasks
    return completed / total if total else 0.0
